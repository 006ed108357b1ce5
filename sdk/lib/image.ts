// The components of the image a component was built for. A component whose
// manifest says `@image` (init, the test runner) is compiled once per image
// that carries it, from an entry module the build generates from the
// image's recipe and the component folders' manifests
// (sdk/host/components.ts): that module calls addImageComponent for each
// component of the image during start-up, before `_start` runs.

export class ImageComponent {
  constructor(
    /** The component's name (its folder's). */
    readonly name: string,
    /** Its payload file (test/echo.wasm). */
    readonly path: string,
    /** What its parent grants it: its manifest's entries but its name (kernel/component/manifest.ts). */
    readonly grant: string,
    /** Who starts it: "init", a component's name, or "none" (loaded by path only). */
    readonly parent: string,
    /** Its place in init's start order when init starts it at boot, -1 when started on request. */
    readonly bootOrder: i32,
    /** Restarted by init whenever it ends. */
    readonly restart: bool,
    /** Its in-OS test's name, payload file and grant ("" when it has none). */
    readonly testName: string,
    readonly testPath: string,
    readonly testGrant: string,
  ) {}
}

/** The image's components, in the order of the recipe's folders. */
export const imageComponents = new Array<ImageComponent>();

/** Called by the generated entry module. */
export function addImageComponent(name: string, path: string, grant: string, parent: string, bootOrder: i32, restart: bool,
  testName: string, testPath: string, testGrant: string): void {
  imageComponents.push(new ImageComponent(name, path, grant, parent, bootOrder, restart, testName, testPath, testGrant));
}

/** The image's component `name`, or null. */
export function findImageComponent(name: string): ImageComponent | null {
  for (let i = 0; i < imageComponents.length; i++) if (imageComponents[i].name == name) return imageComponents[i];
  return null;
}
