package org.obkm.tls.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the HTTPS keystore exists before Pax Web starts (this bundle's start level is below
 * Pax Web's). When the configured keystore file is missing, a fresh RSA-2048 key pair with a
 * self-signed certificate is generated for this installation alone, so no private key is ever
 * shipped to everyone. RSA, because the FAPI TLS 1.2 cipher suites are all ECDHE_RSA / DHE_RSA.
 * An operator's keystore replaces it by pointing {@code obkm.tls.keystore} at it. Made in-process
 * ({@link SelfSignedCertificate}): forking {@code keytool} cost a second JVM start, about half a
 * second of a new installation's first start.
 *
 * <p>A bundle activator rather than a DS component on purpose: it must finish before the HTTP
 * server reads the keystore, which start levels guarantee and service wiring does not.
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public final class TlsBootstrap implements BundleActivator {

    private static final Logger LOG = LoggerFactory.getLogger(TlsBootstrap.class);

    @Override
    public void start(BundleContext context) throws Exception {
        String file = context.getProperty("obkm.tls.keystore");
        String password = context.getProperty("obkm.tls.keystore.password");
        if (file == null || password == null) {
            LOG.info("No obkm.tls.keystore configured; HTTPS uses whatever org.ops4j.pax.web configures");
            return;
        }
        Path keystore = Path.of(file);
        if (Files.exists(keystore)) {
            return;
        }
        String hostnames = context.getProperty("obkm.tls.hostnames");
        generate(keystore, password, hostnames == null ? "localhost" : hostnames);
    }

    @Override
    public void stop(BundleContext context) {
        // nothing to release
    }

    private static void generate(Path keystore, String password, String hostnames)
            throws IOException, GeneralSecurityException {
        long start = System.nanoTime();
        Files.createDirectories(keystore.toAbsolutePath().getParent());
        KeyStore store = SelfSignedCertificate.keyStore(hostnames, password.toCharArray());
        Path tmp = keystore.resolveSibling(keystore.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            store.store(out, password.toCharArray());
        }
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            LOG.debug("No POSIX permissions on {}", keystore);
        }
        Files.move(tmp, keystore, StandardCopyOption.ATOMIC_MOVE);
        LOG.warn("Generated a self-signed TLS certificate for {} into {} ({} ms). Replace it with the bank's"
                + " certificate for production (README, 'TLS').", hostnames, keystore,
                (System.nanoTime() - start) / 1_000_000);
    }
}
