package org.obkm.web.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.obkm.api.flow.AuthorizationFlows;
import org.obkm.api.flow.FlowPage;
import org.obkm.api.flow.FlowStep;

/** A hand-written AuthorizationFlows for the page tests: pages by flow id, one browser, a scripted next step. */
final class FakeFlows implements AuthorizationFlows {

    static final String BROWSER = "browser-key-1";

    final Map<String, FlowPage> pages = new HashMap<>();
    FlowStep next;
    RuntimeException failure;

    // What the last step received.
    String flowId;
    String browserKey;
    String csrf;
    String username;
    char[] password;
    String passwordSeen;
    Boolean approve;
    int calls;

    @Override
    public Optional<FlowPage> page(String id, String key) {
        calls++;
        if (failure != null) {
            throw failure;
        }
        return BROWSER.equals(key) ? Optional.ofNullable(pages.get(id)) : Optional.empty();
    }

    @Override
    public FlowStep signIn(String id, String key, String csrfToken, String user, char[] pw) {
        calls++;
        record(id, key, csrfToken);
        username = user;
        password = pw;
        passwordSeen = new String(pw);
        return step();
    }

    @Override
    public FlowStep decide(String id, String key, String csrfToken, boolean approved,
            java.util.List<String> selected) {
        calls++;
        record(id, key, csrfToken);
        approve = approved;
        accounts = selected;
        return step();
    }

    /** The accounts the last decision posted. */
    java.util.List<String> accounts = java.util.List.of();

    private void record(String id, String key, String csrfToken) {
        flowId = id;
        browserKey = key;
        csrf = csrfToken;
    }

    private FlowStep step() {
        if (failure != null) {
            throw failure;
        }
        return next;
    }
}
