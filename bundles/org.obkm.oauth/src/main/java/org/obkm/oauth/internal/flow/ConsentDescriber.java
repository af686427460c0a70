package org.obkm.oauth.internal.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.obkm.api.flow.Permission;
import org.osgi.service.component.annotations.Component;

/**
 * Puts what a client asks for into plain words for the consent page. Scopes only for now; the
 * open-banking account and payment consents (their permissions, accounts, amounts) will extend this
 * service rather than the page.
 */
@Component(service = ConsentDescriber.class)
public final class ConsentDescriber {

    /** The scopes described in plain words; discovery lists them as scopes_supported. */
    public static final Map<String, String[]> KNOWN = Map.of(
            "openid", new String[] {"Confirm who you are", "The application learns that it is you who signed in."},
            "profile", new String[] {"See your name", "Your name as the bank knows it."},
            "email", new String[] {"See your email address", "The email address the bank has for you."},
            "accounts", new String[] {"Read your account information",
                "Account names and numbers, balances, and transactions."},
            "payments", new String[] {"Make payments you approve",
                "Start payments from your account; you confirm each one."},
            "fundsconfirmations", new String[] {"Check available funds",
                "Ask whether your account has enough money for a payment, without seeing the balance."},
            "offline_access", new String[] {"Keep this access when you are not using the application",
                "Until it expires or you withdraw it."});

    /** The permissions of a space-separated scope, in its order. */
    public List<Permission> describe(String scope) {
        List<Permission> out = new ArrayList<>();
        if (scope == null) {
            return out;
        }
        for (String s : scope.split(" ")) {
            if (s.isEmpty()) {
                continue;
            }
            String[] words = KNOWN.get(s);
            out.add(words != null ? new Permission(s, words[0], words[1])
                    : new Permission(s, "Access \u201c" + s + "\u201d", "A permission the application names " + s + "."));
        }
        return out;
    }
}
