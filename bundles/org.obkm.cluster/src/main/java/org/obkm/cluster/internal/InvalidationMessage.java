package org.obkm.cluster.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The bytes of one invalidation on the cluster port: {@code version, sentAt, nonce, region, key?}
 * followed by an HMAC-SHA256 tag over all of them. {@link #open} checks the tag before it reads a
 * single field, so bytes from a member without the shared key are never parsed (DESIGN rule 8).
 *
 * @param region cache region
 * @param key the entry, or {@code null} for the whole region
 * @param sentAtMillis when the sender made it, for the age bound
 * @param nonce random, unique per message, for replay detection
 */
record InvalidationMessage(String region, String key, long sentAtMillis, String nonce) {

    /** Why bytes were refused; its message names the reason only, never the content. */
    static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        Rejected(String reason) {
            super(reason, null, false, false);
        }
    }

    static final int MAX_LENGTH = 4096;
    private static final byte VERSION = 1;
    private static final int NONCE_LENGTH = 16;
    private static final byte WHOLE_REGION = 1;

    /** Encodes and tags this message. */
    byte[] seal(ClusterCrypto crypto) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + region.length() + (key == null ? 0 : key.length()));
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            out.writeLong(sentAtMillis);
            out.write(Base64.getUrlDecoder().decode(nonce));
            out.writeByte(key == null ? WHOLE_REGION : 0);
            writeText(out, region);
            if (key != null) {
                writeText(out, key);
            }
            byte[] body = bytes.toByteArray();
            out.write(crypto.mac(body, 0, body.length));
            byte[] sealed = bytes.toByteArray();
            if (sealed.length > MAX_LENGTH) {
                throw new IllegalArgumentException("invalidation longer than " + MAX_LENGTH + " bytes");
            }
            return sealed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh random nonce, in the form {@link #nonce} has. */
    static String newNonce(SecureRandom random) {
        byte[] n = new byte[NONCE_LENGTH];
        random.nextBytes(n);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(n);
    }

    /**
     * Authenticates, then parses.
     *
     * @throws Rejected when the tag is wrong (checked first) or the authenticated bytes do not parse
     */
    static InvalidationMessage open(byte[] sealed, ClusterCrypto crypto) throws Rejected {
        if (sealed == null || sealed.length > MAX_LENGTH || !crypto.verifyTrailingTag(sealed)) {
            throw new Rejected("bad MAC");
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(sealed, 0, sealed.length - ClusterCrypto.TAG_LENGTH);
            if (in.get() != VERSION) {
                throw new Rejected("unknown version");
            }
            long sentAt = in.getLong();
            byte[] n = new byte[NONCE_LENGTH];
            in.get(n);
            byte flags = in.get();
            String region = readText(in);
            String key = flags == WHOLE_REGION ? null : readText(in);
            if ((flags & ~WHOLE_REGION) != 0 || in.hasRemaining()) {
                throw new Rejected("undecodable");
            }
            return new InvalidationMessage(region, key, sentAt, Base64.getUrlEncoder().withoutPadding().encodeToString(n));
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new Rejected("undecodable");
        }
    }

    private static void writeText(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_LENGTH) {
            throw new IllegalArgumentException("invalidation longer than " + MAX_LENGTH + " bytes");
        }
        out.writeShort(b.length);
        out.write(b);
    }

    private static String readText(ByteBuffer in) throws Rejected {
        int length = Short.toUnsignedInt(in.getShort());
        if (length > in.remaining()) {
            throw new Rejected("undecodable");
        }
        ByteBuffer text = in.slice(in.position(), length);
        in.position(in.position() + length);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(text).toString();
        } catch (CharacterCodingException e) {
            throw new Rejected("undecodable");
        }
    }
}
