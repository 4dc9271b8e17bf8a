package io.interproc.cli;

import java.util.List;

/**
 * {@code interproc help [COMMAND]}: prints the general help, or a command's. It has no help page of
 * its own: {@code interproc help --help} prints the general help, and {@code help help} is an
 * unknown topic.
 */
final class HelpCommand implements Command {
    @Override
    public String name() {
        return "help";
    }

    @Override
    public String synopsis() {
        return "help [COMMAND]";
    }

    @Override
    public String summary() {
        return "show this help, or a command's";
    }

    @Override
    public String page() {
        return null;
    }

    @Override
    public int run(Context context) {
        List<String> args = context.args();
        if (args.size() > 1) {
            throw CliException.usage(name(), "unexpected argument '" + args.get(1) + "'");
        }
        context.out().print(args.isEmpty() ? Help.general() : Help.of(args.get(0)));
        return Interproc.OK;
    }
}
