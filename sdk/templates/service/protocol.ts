// The protocol {{NAME}} serves on {{PATH}}: one request a message, its
// first word the operation. The server keeps no state of its clients, so
// any request may be sent again.
//
//   ping: request { operation: u32 = PING, value: u32 }  reply { value: u32 = value + 1 }

export const {{CONST}}_PATH = "{{PATH}}";

export const PING: u32 = 1;
export const PING_REQUEST_SIZE: u32 = 8;
export const PING_REPLY_SIZE: u32 = 4;

@unmanaged
export class PingRequest {
  operation: u32;
  value: u32;
}

@unmanaged
export class PingReply {
  value: u32;
}
