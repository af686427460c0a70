package org.obkm.shell.internal;

/**
 * Karaf runs each command on a thread named after the whole command line ({@code pipe-obkm:config-set
 * ... <value>}), and the log pattern prints the thread's name in every line logged on it: a secret
 * given as an argument would reach karaf.log in clear. Every {@link OperatorCommand} renames its thread
 * to the command's name alone before anything is logged.
 */
final class HiddenArguments {

    private HiddenArguments() {
    }

    static void hide() {
        Thread t = Thread.currentThread();
        String name = t.getName();
        int space = name.indexOf(' ');
        if (space > 0) {
            t.setName(name.substring(0, space) + " (arguments not shown)");
        }
    }
}
