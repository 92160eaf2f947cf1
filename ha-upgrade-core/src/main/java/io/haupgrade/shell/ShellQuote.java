package io.haupgrade.shell;

import java.util.regex.Pattern;

/** POSIX shell quoting: the one place where values become safe words of a command line. */
public final class ShellQuote {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellQuote() {
    }

    /**
     * One shell word that stands for exactly {@code value}: left as is when it has only safe characters,
     * else single-quoted with embedded quotes written as {@code '\''}. No value can end the word early,
     * so node names or versions cannot inject commands.
     */
    public static String quote(String value) {
        if (!value.isEmpty() && SAFE.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
