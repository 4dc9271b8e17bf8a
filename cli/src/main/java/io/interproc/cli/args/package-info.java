/**
 * The command-line parser shared by interproc's programs: {@link io.interproc.cli.args.ArgParser},
 * {@link io.interproc.cli.args.ParsedArgs}, {@link io.interproc.cli.args.UsageException} (exit
 * code 2). A tool for these programs, not part of the library's API.
 */
package io.interproc.cli.args;
