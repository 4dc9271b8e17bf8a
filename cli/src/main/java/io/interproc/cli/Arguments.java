package io.interproc.cli;

import io.interproc.cli.args.ArgParser;
import io.interproc.cli.args.ParsedArgs;
import io.interproc.cli.args.UsageException;
import io.interproc.core.Segment;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A command's own arguments, parsed: the flags it allows, {@code --watch}'s optional value, and
 * the positional arguments. Every usage error it finds names the command (see
 * {@link CliException#usage}).
 */
final class Arguments {
    /** Default refresh period of {@code --watch}, in seconds. */
    static final String DEFAULT_WATCH_SECONDS = "2";
    private static final String WATCH = "--watch";

    private final String command;
    private final Set<String> flags = new LinkedHashSet<>();
    private final List<String> positionals = new ArrayList<>();
    /** {@code --watch}'s period as given, or {@code null} if {@code --watch} was not given. */
    private String watch;

    private Arguments(String command) {
        this.command = command;
    }

    /**
     * Parses a command's arguments. After {@code --}, every word is positional. {@code --watch}
     * takes the next word as its SECONDS if that is a number, unless no other positional is given:
     * then the number is the segment NAME ({@code inspect --watch 42} watches segment 42 every 2 s).
     *
     * @param command the command, for error messages
     * @param args its arguments
     * @param allowedFlags the flags it accepts, e.g. {@code --json}
     * @param watchAllowed whether it accepts {@code --watch [SECONDS]} and {@code --watch=SECONDS}
     * @return the parsed arguments
     * @throws CliException a usage error on an unknown option
     */
    static Arguments parse(String command, List<String> args, Set<String> allowedFlags, boolean watchAllowed) {
        ArgParser parser = new ArgParser("interproc " + command, command).arguments();
        allowedFlags.forEach(parser::flag);
        if (watchAllowed) {
            parser.optionalValue(WATCH, "SECONDS", Arguments::isNumber);
        }
        ParsedArgs parsed;
        try {
            parsed = parser.parse(args.toArray(new String[0]));
        } catch (UsageException e) {
            throw CliException.usage(command, e.getMessage());
        }
        Arguments a = new Arguments(command);
        allowedFlags.stream().filter(parsed::has).forEach(a.flags::add);
        a.positionals.addAll(parsed.arguments());
        if (parsed.has(WATCH)) {
            a.watch = parsed.value(WATCH, DEFAULT_WATCH_SECONDS);
            if (parsed.valueWasSeparateWord(WATCH) && a.positionals.isEmpty()) {
                a.positionals.add(a.watch); // inspect --watch 42: the number is the segment NAME
                a.watch = DEFAULT_WATCH_SECONDS;
            }
        }
        return a;
    }

    private static boolean isNumber(String s) {
        return s.matches("[0-9]+(\\.[0-9]+)?|\\.[0-9]+");
    }

    /** @return whether {@code flag} was given */
    boolean has(String flag) {
        return flags.contains(flag);
    }

    /**
     * @return the one positional argument, a valid segment name
     * @throws CliException a usage error if it is missing, invalid, or followed by another
     */
    String segmentName() {
        if (positionals.isEmpty()) {
            throw CliException.usage(command, "missing segment NAME");
        }
        if (positionals.size() > 1) {
            throw CliException.usage(command, "unexpected argument '" + positionals.get(1) + "'");
        }
        String name = positionals.get(0);
        if (!Segment.isValidName(name)) {
            throw CliException.usage(command, "invalid segment name '" + name
                    + "': it must match [A-Za-z0-9._-]{1,128} and not be . or ..");
        }
        return name;
    }

    /** @throws CliException a usage error if there is a positional argument */
    void noPositionals() {
        if (!positionals.isEmpty()) {
            throw CliException.usage(command, "unexpected argument '" + positionals.get(0) + "'");
        }
    }

    /** @return whether {@code --watch} was given */
    boolean watching() {
        return watch != null;
    }

    /** @return {@code --watch}'s SECONDS as given (e.g. {@code 0.5}), or {@code null} without {@code --watch} */
    String watchText() {
        return watch;
    }

    /**
     * @return {@code --watch}'s period in milliseconds
     * @throws CliException a usage error if SECONDS is not a number from 0.1 to 86400
     */
    long watchMillis() {
        String text = watch;
        BigDecimal seconds;
        try {
            seconds = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw CliException.usage(command, "--watch needs a number of SECONDS, not '" + text + "'");
        }
        if (seconds.compareTo(new BigDecimal("0.1")) < 0 || seconds.compareTo(new BigDecimal("86400")) > 0) {
            throw CliException.usage(command, "--watch SECONDS must be 0.1 to 86400, not '" + text + "'");
        }
        return seconds.movePointRight(3).longValue();
    }
}
