package org.obkm.shell.internal;

import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.obkm.api.client.JarmAlgorithms;

/**
 * The JARM client metadata options (JWT Secured Authorization Response Mode §5) that client-create and
 * client-update share; Karaf reads options of superclasses too.
 */
abstract class JarmOptions extends OperatorCommand {

    @Option(name = "--authorization-signed-response-alg", description = "JARM: the JWS algorithm of the client's"
            + " authorization responses, PS256 (default) or ES256")
    @Completion(value = StringsCompleter.class, values = {"PS256", "ES256"})
    String jarmSigningAlg;

    @Option(name = "--authorization-encrypted-response-alg", description = "JARM: encrypt authorization responses"
            + " to the client's registered key with RSA-OAEP-256, ECDH-ES, ECDH-ES+A128KW or ECDH-ES+A256KW;"
            + " on client-update \"\" removes it")
    @Completion(value = StringsCompleter.class, values = {"RSA-OAEP-256", "ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A256KW"})
    String jarmEncryptionAlg;

    @Option(name = "--authorization-encrypted-response-enc", description = "JARM: the content encryption,"
            + " A128CBC-HS256 (default), A256CBC-HS512, A128GCM or A256GCM")
    @Completion(value = StringsCompleter.class, values = {"A128CBC-HS256", "A256CBC-HS512", "A128GCM", "A256GCM"})
    String jarmEncryptionEnc;

    /** The JARM metadata given, or {@code null} when no option was. */
    JarmAlgorithms jarm() {
        return jarmSigningAlg == null && jarmEncryptionAlg == null && jarmEncryptionEnc == null ? null
                : new JarmAlgorithms(jarmSigningAlg, jarmEncryptionAlg, jarmEncryptionEnc);
    }
}
