// The whole ipc/ table: system calls, errors, rights and object types,
// records and constants, and protocols. The generator reads it from here.

import { calls } from "./calls";
import { errors, PROTOCOL_ERROR_BASE } from "./errors";
import { constants, records } from "./records";
import { objectTypes, rights } from "./rights";
import { testProtocols } from "./protocols/test";
import { initProtocols } from "./protocols/init";
import { inputConstants, inputProtocols, inputRecords } from "./protocols/input";
import { windowConstants, windowProtocols, windowRecords } from "./protocols/window";
import { deviceConstants, deviceProtocols } from "./protocols/devices";
import { desktopConstants, desktopProtocols } from "./protocols/desktop";
import { storageConstants, storageProtocols } from "./protocols/storage";
import type { ErrorCode, Constant, ObjectType, Protocol, Record, Right, SystemCall } from "./schema";

export interface Table {
  calls: SystemCall[];
  errors: ErrorCode[];
  rights: Right[];
  objectTypes: ObjectType[];
  records: Record[];
  constants: Constant[];
  protocols: Protocol[];
  protocolErrorBase: number;
}

export const table: Table = {
  calls, errors, rights, objectTypes,
  records: [...records, ...inputRecords, ...windowRecords],
  constants: [...constants, ...inputConstants, ...windowConstants, ...deviceConstants, ...desktopConstants, ...storageConstants],
  protocols: [...initProtocols, ...inputProtocols, ...windowProtocols, ...testProtocols, ...deviceProtocols, ...desktopProtocols, ...storageProtocols],
  protocolErrorBase: PROTOCOL_ERROR_BASE,
};
