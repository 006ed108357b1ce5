// The numbers of the installer's disk and status replies
// (servers/install/protocol.ts): the flags of install.disk and the states
// of install.status, shared by the installer and its clients (the
// installer window, desktop/apps/installer), which may not import each
// other's code.

/** install.disk: the boot disk, which the copy reads from. */
export const DISK_BOOT: u32 = 1;
/** install.disk: the disk holds a GPT, or what looks like a damaged one: installing needs force. */
export const DISK_TABLE: u32 = 2;
/** install.disk: too small for the system and a home volume of 4 MiB. */
export const DISK_SMALL: u32 = 4;

/** install.status: no installation started by this instance. */
export const STATE_IDLE: u32 = 0;
/** install.status: an installation runs. */
export const STATE_RUNNING: u32 = 1;
/** install.status: the last installation ended well; the disk boots by itself. */
export const STATE_DONE: u32 = 2;
/** install.status: the last installation failed; the message says why. */
export const STATE_FAILED: u32 = 3;
