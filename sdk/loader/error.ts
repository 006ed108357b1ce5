// The loader's last error. AssemblyScript has no catchable exceptions, so a
// function that fails records why here and returns null or false; the caller
// passes the failure up and whoever reports it reads loaderError().

let message: string = "";

export function setLoaderError(text: string): void { message = text; }
export function loaderError(): string { return message; }
