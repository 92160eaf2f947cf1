package io.haupgrade.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** What one in-process {@code ha-upgrade} command printed and returned. */
record CliResult(int exitCode, String out, String err) {

    /** Runs {@code ha-upgrade args...} through {@link Main#execute}, capturing both streams. */
    static CliResult run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new CliResult(code, out.toString(), err.toString());
    }
}
