package org.obkm.tls.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
 * An operator's keystore replaces it by pointing {@code obkm.tls.keystore} at it.
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
            throws IOException, InterruptedException {
        Files.createDirectories(keystore.toAbsolutePath().getParent());
        StringBuilder san = new StringBuilder();
        for (String h : hostnames.split("[,\\s]+")) {
            if (!h.isBlank()) {
                san.append(san.length() == 0 ? "" : ",").append(h.matches("[0-9.]+|.*:.*") ? "ip:" : "dns:").append(h);
            }
        }
        san.append(",ip:127.0.0.1");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> cmd = new ArrayList<>(List.of(keytool, "-genkeypair", "-alias", "obkm-tls", "-keyalg", "RSA",
                "-keysize", "2048", "-sigalg", "SHA256withRSA", "-validity", "825", "-dname",
                "CN=" + hostnames.split("[,\\s]+")[0] + ",O=OBKM installation", "-ext", "SAN=" + san,
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass:env", "OBKM_TLS_PW",
                "-keypass:env", "OBKM_TLS_PW"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OBKM_TLS_PW", password);
        long start = System.nanoTime();
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool could not create the TLS keystore " + keystore + ": " + out.strip());
        }
        try {
            Files.setPosixFilePermissions(keystore, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            LOG.debug("No POSIX permissions on {}", keystore);
        }
        LOG.warn("Generated a self-signed TLS certificate for {} into {} ({} ms). Replace it with the bank's"
                + " certificate for production (README, 'TLS').", hostnames, keystore,
                (System.nanoTime() - start) / 1_000_000);
    }
}
