package org.obkm.userstore.ldap.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;

import org.apache.directory.api.ldap.model.name.Rdn;

/**
 * Escaping of what users type before it goes into a search filter (RFC 4515 section 3) or a
 * distinguished name (RFC 4514 section 2.4), so that a username like {@code *)(uid=*} is looked for
 * literally; and the sign-in names accepted at all.
 */
final class LdapText {

    private LdapText() {
    }

    /** Whether a username is worth asking the directory about: not blank, not huge, no control characters. */
    static boolean isPlausibleUsername(String username) {
        if (username == null || username.isBlank() || username.length() > 256) {
            return false;
        }
        return username.chars().noneMatch(Character::isISOControl);
    }

    /** A value for an RFC 4515 assertion: {@code * ( ) \ NUL} as {@code \2a \28 \29 \5c \00}. */
    static String filterValue(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (char ch : value.toCharArray()) {
            switch (ch) {
                case '*' -> sb.append("\\2a");
                case '(' -> sb.append("\\28");
                case ')' -> sb.append("\\29");
                case '\\' -> sb.append("\\5c");
                case '\0' -> sb.append("\\00");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }

    /** Raw bytes as an RFC 4515 value: every byte as {@code \xx}. */
    static String filterBytes(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            sb.append('\\').append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    /** A filter template ({@code UserNameSearchFilter}) with each {@code ?} replaced by the escaped value. */
    static String fill(String template, String value) {
        return template.replace("?", filterValue(value));
    }

    /** A value for an RDN (RFC 4514): {@code , + " \ < > ;}, leading {@code #} or space, trailing space escaped. */
    static String dnValue(String value) {
        return Rdn.escapeValue(value);
    }

    /** A {@code UserDNPattern} with {@code {0}} replaced by the escaped username. */
    static String patternDn(String pattern, String username) {
        return pattern.replace("{0}", dnValue(username));
    }

    /**
     * Active Directory's objectGUID in the string form of its UUID: the first three fields are stored
     * little-endian (MS-DTYP section 2.3.4.2).
     */
    static String guidToString(byte[] b) {
        ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long high = ((long) in.getInt() & 0xffffffffL) << 32 | ((long) in.getShort() & 0xffff) << 16
                | ((long) in.getShort() & 0xffff);
        long low = in.order(ByteOrder.BIG_ENDIAN).getLong();
        return new UUID(high, low).toString();
    }

    /** The inverse of {@link #guidToString}, for a search by id. */
    static byte[] guidBytes(UUID uuid) {
        ByteBuffer out = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        long high = uuid.getMostSignificantBits();
        out.putInt((int) (high >>> 32)).putShort((short) (high >>> 16)).putShort((short) high);
        out.order(ByteOrder.BIG_ENDIAN).putLong(uuid.getLeastSignificantBits());
        return out.array();
    }
}
