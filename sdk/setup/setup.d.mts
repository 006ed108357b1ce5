// Types of what setup.mjs exports, for the TypeScript that imports it (tests/boot/tools.ts).

/** A Debian package the project needs: the command or file that proves it is installed, and why. */
export interface DebianPackage {
  name: string;
  provides?: string;
  also?: string[];
  file?: string;
  why: string;
}

export declare const debianPackages: DebianPackage[];
