package org.obkm.metrics.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * IP addresses and CIDR blocks (RFC 4632) that may read the metrics. Entries are literal addresses only:
 * a host name would make every check a DNS lookup, so one is refused at configuration time.
 */
final class AddressAllowList {

    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+(%\\w+)?");

    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;
    private final String text;

    private AddressAllowList(List<Block> blocks, String text) {
        this.blocks = blocks;
        this.text = text;
    }

    /** Parses {@code 127.0.0.1, ::1, 10.0.0.0/8}; throws IllegalArgumentException on anything else. */
    static AddressAllowList parse(String spec) {
        List<Block> blocks = new ArrayList<>();
        for (String entry : Arrays.stream(spec == null ? new String[0] : spec.split("[,\\s]+"))
                .filter(s -> !s.isBlank()).toList()) {
            int slash = entry.indexOf('/');
            String host = slash < 0 ? entry : entry.substring(0, slash);
            byte[] network = literal(host, entry);
            int prefix = network.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("allowedAddresses: bad prefix length in " + entry);
                }
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("allowedAddresses: bad prefix length in " + entry);
                }
            }
            blocks.add(new Block(network, prefix));
        }
        return new AddressAllowList(List.copyOf(blocks), String.join(", ", spec == null ? "" : spec.strip()));
    }

    private static byte[] literal(String host, String entry) {
        if (!LITERAL.matcher(host).matches() || !(host.contains(":") || host.chars().filter(c -> c == '.').count() == 3)) {
            throw new IllegalArgumentException("allowedAddresses: not an IP address or CIDR block: " + entry);
        }
        try {
            return InetAddress.getByName(host).getAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("allowedAddresses: not an IP address or CIDR block: " + entry);
        }
    }

    /** Whether the servlet container's remote address (a literal) is allowed. */
    boolean allows(String remote) {
        String remoteAddress = remote != null && remote.startsWith("[") && remote.endsWith("]")
                ? remote.substring(1, remote.length() - 1) : remote;
        if (remoteAddress == null || blocks.isEmpty() || !LITERAL.matcher(remoteAddress).matches()) {
            return false;
        }
        byte[] a;
        try {
            a = InetAddress.getByName(remoteAddress).getAddress();
        } catch (UnknownHostException e) {
            return false;
        }
        for (Block b : blocks) {
            if (b.contains(a)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }
}
