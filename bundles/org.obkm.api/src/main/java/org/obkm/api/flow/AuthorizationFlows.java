package org.obkm.api.flow;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The steps of an authorization flow that the pages drive. A flow is named by a random id (in the page
 * URL, {@code ?flow=}) and bound to the browser that started it by the random value of the cookie
 * {@value #BROWSER_COOKIE}, which the authorization endpoint sets; each form also carries the flow's
 * CSRF token. A step with a wrong browser key or CSRF token changes nothing.
 *
 * <p>Implementations never throw for bad input; every outcome is a {@link FlowStep}.
 */
@ProviderType
public interface AuthorizationFlows {

    /** Cookie that binds flows to the browser: Secure, HttpOnly, SameSite=Lax, path {@code /}. */
    String BROWSER_COOKIE = "OBKM_BROWSER";

    /** Path of the login page (GET renders, POST signs in); the flow id is the query parameter {@code flow}. */
    String LOGIN_PATH = "/authn/login";

    /** Path of the consent page (GET renders, POST decides). */
    String CONSENT_PATH = "/authn/consent";

    /**
     * The page the flow is at, when the flow exists, has not expired and was started by this browser.
     *
     * @param browserKey the value of the {@value #BROWSER_COOKIE} cookie, or null when absent
     */
    Optional<FlowPage> page(String flowId, String browserKey);

    /**
     * Checks the credentials against the user store registry. On success the flow moves to consent
     * (a {@link FlowStep.Kind#REDIRECT} to the consent page); on a wrong password or a locked user the
     * login page is shown again with a message ({@link FlowStep.Kind#SHOW}); after too many failures in
     * one flow, or for a gone flow, {@link FlowStep.Kind#FAILED} or a redirect to the client with an error.
     */
    FlowStep signIn(String flowId, String browserKey, String csrfToken, String username, char[] password);

    /**
     * Records the user's decision. Approve: the grant is recorded and the browser goes back to the
     * client with a code; deny: back to the client with {@code access_denied}. Both are redirects, or a
     * {@link FlowStep.Kind#POST} when the request asked for {@code form_post.jwt} (JARM §4.3.3).
     */
    default FlowStep decide(String flowId, String browserKey, String csrfToken, boolean approve) {
        return decide(flowId, browserKey, csrfToken, approve, java.util.List.of());
    }

    /**
     * Records the user's decision on an authorization that may name an open-banking consent
     * ({@link FlowPage#consent()}): approve with the accounts the PSU selected makes the consent
     * Authorised with them, deny makes it Rejected; a selection the consent does not allow (no account,
     * two for a payment, an account that is not the PSU's) shows the page again with a message.
     *
     * @param accounts the account ids selected on the page; ignored without a consent
     */
    FlowStep decide(String flowId, String browserKey, String csrfToken, boolean approve,
            java.util.List<String> accounts);
}
