/** The extra Node flags `postindex <command>` runs with. */
export function nodeFlagsFor(command: string | undefined): string[];
