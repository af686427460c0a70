package org.obkm.itests.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** What the tests read from the server's pages and redirects, as an HTML encoder escapes them. */
class PagesAndFormsTest {

    private static final String LOGIN = "<form method=\"post\" action=\"/authn/login\">"
            + "<input type=\"hidden\" name=\"flow\" value=\"f&#x2d;1\">"
            + "<input type=\"hidden\" name=\"csrf\" value=\"a&amp;b&#61;\">"
            + "<input type=\"text\" name=\"username\" value=\"&quot;bob&quot;\">"
            + "<p id=\"client-name\">Bank <b>&lt;App&gt;</b></p>"
            + "<li data-code=\"openid\"></li><li data-code=\"accounts\"></li></form>";

    @Test
    void readsFieldsActionsAndTexts() {
        assertEquals("f-1", Html.hidden(LOGIN, "flow"));
        assertEquals("\"bob\"", Html.hidden(LOGIN, "username"));
        assertNull(Html.hidden(LOGIN, "password"));
        assertEquals(Map.of("flow", "f-1", "csrf", "a&b="), Html.hiddenFields(LOGIN));
        assertEquals("/authn/login", Html.formAction(LOGIN));
        assertEquals("Bank <App>", Html.textById(LOGIN, "client-name"));
        assertEquals(List.of("openid", "accounts"), Html.attributeValues(LOGIN, "data-code"));
    }

    @Test
    void formsAndQueriesRoundTrip() {
        String form = Https.form("redirect_uri", "https://tpp.example/cb?x=1", "scope", "openid accounts");
        assertEquals("redirect_uri=https%3A%2F%2Ftpp.example%2Fcb%3Fx%3D1&scope=openid+accounts", form);
        assertEquals(Map.of("code", "c+1/2", "state", "s"),
                Https.query(URI.create("https://tpp.example/cb?code=c%2B1%2F2&state=s&state=t")));
        // RFC 6749 §2.3.1: form-encoded before base64
        assertEquals("Basic YSUzQWI6cysx", Https.basic("a:b", "s 1"));
    }
}
