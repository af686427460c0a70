package org.obkm.keys.internal;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;

/**
 * The current key of one algorithm, held as its Nimbus signer: the private key lives inside the signer
 * and never leaves this bundle. One per current key and node, made when the key is loaded, so no token
 * pays for a key-factory call; a rotation (here or on another node) loads a new one and drops this.
 */
record SigningKey(String kid, JWSAlgorithm algorithm, JWSSigner signer) {

    @Override
    public String toString() {
        return "SigningKey[" + kid + ", " + algorithm + "]";
    }
}
