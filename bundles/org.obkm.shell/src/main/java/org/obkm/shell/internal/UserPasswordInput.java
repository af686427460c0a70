package org.obkm.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Where a user command takes a new password from: {@code --password} (visible in the shell history:
 * warned about), one line of standard input ({@code --password-stdin}), or generated here.
 */
final class UserPasswordInput {

    // No 0/O, 1/l/I: generated passwords are read out and typed by people.
    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_LINE_BYTES = 4096;

    private UserPasswordInput() {
    }

    /**
     * The given password, or null when the caller should generate one. Standard input is the command's
     * (a Gogo pipe, or the SSH channel of {@code ssh ... 'obkm:user-add --password-stdin NAME' < file}).
     */
    static char[] read(String option, boolean fromStdin, PrintStream out) throws IOException {
        if (option != null && fromStdin) {
            throw new IllegalArgumentException("give the secret as an option or on standard input, not both");
        }
        if (option != null) {
            out.println("Warning: a secret given as an option stays in the shell history and may show in"
                    + " process lists; prefer reading it from standard input (--password-stdin, --stdin).");
            return option.toCharArray();
        }
        return fromStdin ? readLine(System.in) : null;
    }

    /** About 116 random bits, in four groups of five for reading aloud: {@code k7Pq2-Xm9Rt-...}. */
    static char[] generate() {
        char[] out = new char[23];
        for (int i = 0; i < out.length; i++) {
            out[i] = i % 6 == 5 ? '-' : ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        }
        return out;
    }

    private static char[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.write(b);
            }
            if (line.size() > MAX_LINE_BYTES) {
                throw new IllegalArgumentException("the password line on standard input is too long");
            }
        }
        byte[] bytes = line.toByteArray();
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
        Arrays.fill(bytes, (byte) 0);
        char[] password = Arrays.copyOf(chars.array(), chars.limit());
        Arrays.fill(chars.array(), '\0');
        if (password.length == 0) {
            throw new IllegalArgumentException("--password-stdin: no password on standard input");
        }
        return password;
    }
}
