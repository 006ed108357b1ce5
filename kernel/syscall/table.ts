// Every system call and the function that implements it, in the order of
// ipc/table/calls.ts: read down the left column for a call, across for its
// function and the file it lives in. The generated dispatch
// (kernel/generated/dispatch.ts) checks a call's arguments against the
// caller — handles and their rights, pointers and lengths, strings,
// capabilities — then calls the function named here with objects and
// absolute addresses; the table in ipc/ names only the function, and this
// file says where it is. A call's fast path, where it has one, is tried
// before the checks: it does the whole call or declines
// (object/fast-path.ts).
//
// The functions take the calling thread first (`caller: Thread`), then the
// checked arguments in the table's order. To add a call: declare it in
// ipc/table/calls.ts with `kernel: "functionName"`, write the function in
// the file of the object it acts on (object/) or, for a call that belongs
// to no object, here in syscall/, and add its line below.
//
// memory.grow is no system call: it is wasm's own instruction, which the
// link routes to main.ts's growMemory (component/memory.ts).

/* handle.close                 */ export { handleClose }         from "../object/handle";
/* handle.duplicate             */ export { handleDuplicate }     from "../object/handle";
/* handle.info                  */ export { handleInfo }          from "../object/handle";

/* channel.create               */ export { channelCreate }       from "../object/channel";

/* connection.create            */ export { connectionCreate }    from "../object/connection";

/* name.register                */ export { nameRegister }        from "../object/pathname";
/* name.unregister              */ export { nameUnregister }      from "../object/pathname";
/* name.open                    */ export { nameOpen }            from "../object/pathname";

/* msg.send, fast path          */ export { msgSendFast }         from "../object/fast-path";
/* msg.send                     */ export { msgSend }             from "../object/channel";
/* msg.sendv                    */ export { msgSendv }            from "../object/channel";
/* msg.receive, fast path       */ export { msgReceiveFast }      from "../object/fast-path";
/* msg.receive                  */ export { msgReceive }          from "../object/channel";
/* msg.receivev                 */ export { msgReceivev }         from "../object/channel";
/* msg.reply, fast path         */ export { msgReplyFast }        from "../object/fast-path";
/* msg.reply                    */ export { msgReply }            from "../object/channel";
/* msg.replyv                   */ export { msgReplyv }           from "../object/channel";
/* msg.reply_receive, fast path */ export { msgReplyReceiveFast } from "../object/fast-path";
/* msg.reply_receive            */ export { msgReplyReceive }     from "../object/channel";
/* msg.reply_wait               */ export { msgReplyWait }        from "../object/channel";
/* msg.serve_direct             */ export { msgServeDirect }      from "../object/direct";
/* msg.info                     */ export { msgInfo }             from "../object/channel";
/* msg.read                     */ export { msgRead }             from "../object/channel";
/* msg.grant                    */ export { msgGrant }            from "../object/channel";
/* msg.check_device             */ export { msgCheckDevice }      from "../object/channel";

/* pulse.send                   */ export { pulseSend }           from "../object/pulse";

/* memory.create                */ export { memoryCreate }        from "../object/memory-object";
/* memory.map                   */ export { memoryMap }           from "../object/memory-object";
/* memory.unmap                 */ export { memoryUnmap }         from "../object/memory-object";
/* memory.device                */ export { memoryDevice }        from "../object/memory-object";
/* memory.dma                   */ export { memoryDma }           from "../object/memory-object";
/* memory.physical              */ export { memoryPhysical }      from "../object/memory-object";

/* state.open                   */ export { stateOpen }           from "../object/state-object";
/* state.delete                 */ export { stateDelete }         from "../object/state-object";

/* timer.create                 */ export { timerCreate }         from "../object/timer";
/* timer.set                    */ export { timerSet }            from "../object/timer";

/* interrupt.attach             */ export { interruptAttach }     from "../object/interrupt";
/* interrupt.unmask             */ export { interruptUnmask }     from "../object/interrupt";

/* firmware.table               */ export { firmwareTable }       from "./firmware";

/* port.read                    */ export { portRead }            from "./ports";
/* port.write                   */ export { portWrite }           from "./ports";
/* port.take                    */ export { portTake }            from "./ports";

/* thread.create                */ export { threadCreate }        from "./threads";
/* thread.exit                  */ export { threadExit }          from "./threads";
/* thread.sleep                 */ export { threadSleep }         from "./threads";
/* thread.yield, fast path      */ export { threadYieldFast }     from "./threads";
/* thread.yield                 */ export { threadYield }         from "./threads";
/* thread.self                  */ export { threadSelf }          from "./threads";
/* thread.timeout               */ export { threadTimeout }       from "../object/message-timeout";
/* thread.priority              */ export { threadPriority }      from "./threads";
/* thread.set_priority          */ export { threadSetPriority }   from "./threads";

/* clock.now                    */ export { clockNow }            from "./threads";
/* clock.cycles                 */ export { clockCycles }         from "./threads";

/* component.spawn              */ export { componentSpawn }      from "./components";
/* component.kill               */ export { componentKill }       from "./components";
/* component.status             */ export { componentStatus }     from "./components";
/* component.self               */ export { componentSelf }       from "./components";
/* component.exit               */ export { componentExit }       from "./components";

/* payload.read                 */ export { payloadRead }         from "./components";

/* log.write                    */ export { logWrite }            from "./components";

/* system.info                  */ export { systemInfo }          from "./system";
/* system.components            */ export { systemComponents }    from "./system";
/* system.list                  */ export { systemList }          from "./system";

/* msg.bus_master               */ export { msgBusMaster }        from "../object/channel";
/* state.dma                    */ export { stateDma }            from "../object/state-object";
