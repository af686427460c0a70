package org.obkm.api.flow;

import java.util.List;
import java.util.Objects;

/**
 * What a page of a flow shows. Every string is plain text: the page escapes it.
 *
 * @param flowId      the flow, for the form's hidden field {@code flow}
 * @param stage       which page to render
 * @param csrfToken   for the form's hidden field {@code csrf}
 * @param clientName  who is asking: the client's registered name (its id when it has none)
 * @param clientId    the client's id
 * @param userName    on the consent page: the signed-in user's display name or username; else empty
 * @param permissions on the consent page: what the client asks for, in plain words; else empty
 * @param username    on the login page: the name last typed, to fill in again; else empty
 * @param message     a message for the person (a failed sign-in, a lockout), or empty
 * @param consent     on the consent page of an open-banking authorization: the consent it is for; else null
 */
public record FlowPage(String flowId, Stage stage, String csrfToken, String clientName, String clientId,
        String userName, List<Permission> permissions, String username, String message, ConsentDetails consent) {

    /** The page of a flow. */
    public enum Stage {
        LOGIN, CONSENT
    }

    public FlowPage {
        Objects.requireNonNull(flowId, "flowId");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(csrfToken, "csrfToken");
        clientName = clientName == null ? "" : clientName;
        clientId = clientId == null ? "" : clientId;
        userName = userName == null ? "" : userName;
        permissions = permissions == null ? List.of() : List.copyOf(permissions);
        username = username == null ? "" : username;
        message = message == null ? "" : message;
    }

    /** A page of a flow that names no open-banking consent. */
    public FlowPage(String flowId, Stage stage, String csrfToken, String clientName, String clientId,
            String userName, List<Permission> permissions, String username, String message) {
        this(flowId, stage, csrfToken, clientName, clientId, userName, permissions, username, message, null);
    }

    /** The same page with another message. */
    public FlowPage withMessage(String newMessage) {
        return new FlowPage(flowId, stage, csrfToken, clientName, clientId, userName, permissions, username,
                newMessage, consent);
    }
}
