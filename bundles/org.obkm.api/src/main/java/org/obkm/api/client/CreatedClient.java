package org.obkm.api.client;

/**
 * A newly registered client and its secret in clear, which is shown once and never stored.
 *
 * @param client the stored client
 * @param secret the generated secret, or {@code null} when the method uses none
 */
public record CreatedClient(Client client, String secret) {
}
