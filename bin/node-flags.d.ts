/** The extra Node flags `postindex <command>` runs with. */
export function nodeFlagsFor(command: string | undefined): string[];

/** The CPU priority (nice value) `postindex <command>` lowers itself to, or undefined to leave it. */
export function nicenessFor(command: string | undefined, env?: NodeJS.ProcessEnv): number | undefined;
