package org.obkm.web.internal;

import org.obkm.api.flow.AuthorizationFlows;
import org.obkm.api.flow.ConsentDetails;
import org.obkm.api.flow.FlowPage;
import org.obkm.api.flow.Permission;
import org.owasp.encoder.Encode;

/**
 * The pages' markup: small templates in which every value is escaped with the OWASP Java Encoder
 * ({@code forHtml} is safe in text and in quoted attribute values alike). The element ids and names
 * are a contract with the browser tests; change them together.
 */
final class Html {

    static final String EXPIRED = "This sign-in link has expired or was opened in another browser. "
            + "Return to the application and start again.";
    static final String BAD_REQUEST = "The page could not read what your browser sent. "
            + "Return to the application and start again.";
    static final String UNAVAILABLE = "Sign-in is temporarily unavailable. Please try again in a few minutes.";
    static final String METHOD_NOT_ALLOWED = "This page cannot be used that way. "
            + "Return to the application and start again.";

    private Html() {
    }

    /** The page for a flow's stage. */
    static String page(FlowPage page) {
        return page.stage() == FlowPage.Stage.LOGIN ? login(page) : consent(page);
    }

    static String login(FlowPage page) {
        boolean typed = !page.username().isEmpty();
        String message = page.message().isEmpty() ? ""
                : "<p id=\"message\" class=\"message\" role=\"alert\">" + e(page.message()) + "</p>\n";
        return layout("Sign in", """
                <h1>Sign in</h1>
                <p class="lead">to continue to <strong id="client-name">%s</strong></p>
                %s<form method="post" action="%s">
                <input type="hidden" name="flow" value="%s">
                <input type="hidden" name="csrf" value="%s">
                <label for="username">Username</label>
                <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" \
                spellcheck="false" required value="%s"%s>
                <label for="password">Password</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required%s>
                <button type="submit" id="sign-in" class="primary">Sign in</button>
                </form>
                """.formatted(e(page.clientName()), message, AuthorizationFlows.LOGIN_PATH, e(page.flowId()),
                e(page.csrfToken()), e(page.username()), typed ? "" : " autofocus", typed ? " autofocus" : ""));
    }

    static String consent(FlowPage page) {
        if (page.consent() != null) {
            return openBankingConsent(page, page.consent());
        }
        StringBuilder permissions = permissionItems(page.permissions());
        String list = permissions.length() == 0
                ? "<p class=\"permissions-none\">Confirm who you are. It asks for nothing else.</p>\n"
                : "<ul class=\"permissions\">\n" + permissions + "</ul>\n";
        String user = page.userName().isEmpty() ? ""
                : "<p class=\"signed-in\">Signed in as <strong>" + e(page.userName()) + "</strong></p>\n";
        String message = page.message().isEmpty() ? ""
                : "<p id=\"message\" class=\"message\" role=\"alert\">" + e(page.message()) + "</p>\n";
        return layout("Allow access", """
                <h1><span id="client-name">%s</span> wants to:</h1>
                %s%s%s<p class="note">You can withdraw this consent at any time.</p>
                <form method="post" action="%s">
                <input type="hidden" name="flow" value="%s">
                <input type="hidden" name="csrf" value="%s">
                <div class="actions">
                <button type="submit" name="decision" value="deny" id="deny" class="secondary">Deny</button>
                <button type="submit" name="decision" value="approve" id="approve" class="primary">Allow</button>
                </div>
                </form>
                """.formatted(e(page.clientName()), message, list, user, AuthorizationFlows.CONSENT_PATH,
                e(page.flowId()), e(page.csrfToken())));
    }

    /**
     * The consent page of an open-banking consent: the consent played back (permissions explained, the
     * payment's particulars, the expiry), the PSU's accounts to select (checkboxes {@code account.N}, or one
     * radio {@code account}), approve or deny as a whole. Ids: {@code consent-id}, {@code consent-title},
     * {@code fact-<code>}, {@code account-<accountId>}.
     */
    static String openBankingConsent(FlowPage page, ConsentDetails c) {
        StringBuilder facts = new StringBuilder();
        for (ConsentDetails.Fact f : c.facts()) {
            facts.append("<dt>").append(e(f.label())).append("</dt><dd id=\"fact-").append(e(f.code())).append("\">")
                    .append(e(f.value())).append("</dd>\n");
        }
        StringBuilder accounts = new StringBuilder();
        int n = 0;
        for (ConsentDetails.AccountChoice a : c.accounts()) {
            String input = switch (c.selection()) {
                case MANY -> "<input type=\"checkbox\" name=\"account." + n + "\"";
                case ONE -> "<input type=\"radio\" name=\"account\"" + (c.accounts().size() == 1 ? " checked" : "");
                case NONE -> "<input type=\"hidden\" name=\"account\"";
            };
            accounts.append("<li class=\"account\"><label>").append(input).append(" id=\"account-")
                    .append(e(a.accountId())).append("\" value=\"").append(e(a.accountId())).append("\"> ")
                    .append(e(a.label())).append("</label></li>\n");
            n++;
        }
        String accountList = c.accounts().isEmpty() ? "" : "<h2>" + switch (c.selection()) {
            case MANY -> "Choose the accounts to share";
            case ONE -> "Choose the account to pay from";
            case NONE -> "From your account";
        } + "</h2>\n<ul class=\"accounts\">\n" + accounts + "</ul>\n";
        StringBuilder permissions = permissionItems(c.permissions());
        String list = permissions.length() == 0 ? "" : "<ul class=\"permissions\">\n" + permissions + "</ul>\n";
        String problem = c.problem().isEmpty() ? ""
                : "<p id=\"consent-problem\" class=\"message\" role=\"alert\">" + e(c.problem()) + "</p>\n";
        String message = page.message().isEmpty() ? ""
                : "<p id=\"message\" class=\"message\" role=\"alert\">" + e(page.message()) + "</p>\n";
        String user = page.userName().isEmpty() ? ""
                : "<p class=\"signed-in\">Signed in as <strong>" + e(page.userName()) + "</strong></p>\n";
        String approve = c.problem().isEmpty()
                ? "<button type=\"submit\" name=\"decision\" value=\"approve\" id=\"approve\" class=\"primary\">Allow</button>\n"
                : "";
        return layout("Allow access", """
                <h1><span id="client-name">%s</span> asks you to:</h1>
                <p class="lead" id="consent-title">%s</p>
                %s%s%s<dl class="facts">
                %s</dl>
                <form method="post" action="%s">
                <input type="hidden" name="flow" value="%s">
                <input type="hidden" name="csrf" value="%s">
                %s%s<p class="note">Consent reference <span id="consent-id">%s</span>. You can withdraw it at any time.</p>
                <div class="actions">
                <button type="submit" name="decision" value="deny" id="deny" class="secondary">Deny</button>
                %s</div>
                </form>
                """.formatted(e(page.clientName()), e(c.title()), message, problem, list, facts,
                AuthorizationFlows.CONSENT_PATH, e(page.flowId()), e(page.csrfToken()), accountList, user,
                e(c.consentId()), approve));
    }

    private static StringBuilder permissionItems(java.util.List<Permission> items) {
        StringBuilder permissions = new StringBuilder();
        for (Permission p : items) {
            permissions.append("<li class=\"permission\" data-code=\"").append(e(p.code())).append("\">")
                    .append("<span class=\"permission-title\">").append(e(p.title())).append("</span>");
            if (!p.description().isEmpty()) {
                permissions.append("<span class=\"permission-description\">").append(e(p.description()))
                        .append("</span>");
            }
            permissions.append("</li>\n");
        }
        return permissions;
    }

    /** The auto-submitting form of {@link Responses#formPost}; the script is allowed by its nonce only. */
    static String formPost(String action, java.util.Map<String, String> fields, String nonce) {
        StringBuilder inputs = new StringBuilder();
        fields.forEach((name, value) -> inputs.append("<input type=\"hidden\" name=\"").append(e(name))
                .append("\" value=\"").append(e(value)).append("\">\n"));
        return layout("Returning to the application", """
                <h1>Returning to the application</h1>
                <form id="response-form" method="post" action="%s">
                %s<noscript><p>Your browser does not run scripts: press the button to continue.</p></noscript>
                <button type="submit" id="continue" class="primary">Continue</button>
                </form>
                <script nonce="%s">document.getElementById('response-form').submit();</script>
                """.formatted(e(action), inputs, e(nonce)));
    }

    static String error(String message) {
        return layout("Cannot continue", """
                <h1>We cannot continue</h1>
                <p id="error" class="message">%s</p>
                """.formatted(e(message)));
    }

    private static String layout(String title, String main) {
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <meta name="robots" content="noindex, nofollow">
                <title>%s</title>
                <link rel="stylesheet" href="%s">
                </head>
                <body>
                <main class="card">
                %s</main>
                </body>
                </html>
                """.formatted(e(title), StylesheetServlet.HREF, main);
    }

    private static String e(String text) {
        return Encode.forHtml(text);
    }
}
