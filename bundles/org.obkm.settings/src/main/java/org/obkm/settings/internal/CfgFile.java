package org.obkm.settings.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Sets or removes one key of a node's {@code etc/*.cfg} file, keeping every comment and other line,
 * and replaces the file atomically (a new file renamed over it), so that FileInstall's poller never
 * reads a half-written file. A key's line is {@code key = value}, possibly continued over lines ending
 * in an odd number of backslashes, as in {@link java.util.Properties}.
 */
final class CfgFile {

    private CfgFile() {
    }

    static void put(Path file, String key, String value) throws IOException {
        List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        List<String> out = new ArrayList<>();
        boolean written = false;
        for (int i = 0; i < lines.size(); i++) {
            int end = i;
            while (end < lines.size() - 1 && continues(lines.get(end))) {
                end++;
            }
            if (key.equals(keyOf(lines.get(i)))) {
                if (value != null && !written) {
                    out.add(key + " = " + escape(value));
                    written = true;
                }
            } else {
                out.addAll(lines.subList(i, end + 1));
            }
            i = end;
        }
        if (value != null && !written) {
            out.add(key + " = " + escape(value));
        }
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            Files.write(tmp, out, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The key a line sets; null for a comment or blank line. */
    static String keyOf(String line) {
        String t = line.stripLeading();
        if (t.isEmpty() || t.startsWith("#") || t.startsWith("!")) {
            return null;
        }
        StringBuilder k = new StringBuilder();
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '\\' && i + 1 < t.length()) {
                k.append(t.charAt(++i));
            } else if (c == '=' || c == ':' || Character.isWhitespace(c)) {
                break;
            } else {
                k.append(c);
            }
        }
        return k.toString();
    }

    private static boolean continues(String line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\");
    }
}
