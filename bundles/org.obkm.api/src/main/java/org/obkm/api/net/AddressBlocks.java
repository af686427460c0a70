package org.obkm.api.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * IP addresses and CIDR blocks (IPv4 and IPv6), matched against the address of a connection's peer.
 * Only literal addresses are accepted, so neither parsing nor matching ever asks DNS: a name that
 * resolves differently tomorrow must not decide whom a certificate header is believed from.
 */
public final class AddressBlocks {

    /** Dotted quads only, or IPv6 text: anything else would make InetAddress ask DNS. */
    private static final Pattern LITERAL = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
            + "|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

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
            int mask = 0xff << (8 - rest);
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;

    private AddressBlocks(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /**
     * Parses entries such as {@code 10.0.0.5}, {@code 10.0.0.0/8} or {@code fd00::/8}; an entry may hold
     * several, comma- or space-separated (a .cfg file gives one string).
     *
     * @throws IllegalArgumentException naming the first entry that is no literal address or block
     */
    public static AddressBlocks parse(String... entries) {
        List<Block> blocks = new ArrayList<>();
        for (String entry : entries == null ? new String[0] : entries) {
            for (String value : entry.split("[,\\s]+")) {
                if (!value.isBlank()) {
                    blocks.add(block(value.strip()));
                }
            }
        }
        return new AddressBlocks(blocks);
    }

    private static Block block(String value) {
        int slash = value.indexOf('/');
        String address = slash < 0 ? value : value.substring(0, slash);
        byte[] bytes = literal(address);
        if (bytes == null) {
            throw new IllegalArgumentException("not an IP address or CIDR block: '" + value + "'");
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(value.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("bad prefix length in '" + value + "'");
            }
        }
        return new Block(bytes, prefix);
    }

    /** The bytes of a literal IPv4 or IPv6 address (brackets and zone allowed), else null. */
    private static byte[] literal(String address) {
        if (address == null) {
            return null;
        }
        String a = address.strip();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        int zone = a.indexOf('%');
        if (zone >= 0) {
            a = a.substring(0, zone);
        }
        if (a.isEmpty() || !LITERAL.matcher(a).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(a).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** Whether a peer address, as {@code ServletRequest.getRemoteAddr()} gives it, lies in a block. */
    public boolean contains(String remoteAddress) {
        byte[] address = literal(remoteAddress);
        if (address == null) {
            return false;
        }
        for (Block b : blocks) {
            if (b.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
