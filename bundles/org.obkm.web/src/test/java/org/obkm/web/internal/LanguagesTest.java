package org.obkm.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class LanguagesTest {

    @Test
    void uiLocalesComeBeforeAcceptLanguage() {
        assertEquals("cy", Languages.choose("fr cy-GB en", "en-GB,en;q=0.9").toLanguageTag());
    }

    @Test
    void acceptLanguageByQualityWhenUiLocalesNameNoneShipped() {
        assertEquals("cy", Languages.choose("fr", "de;q=0.9,cy;q=0.8,en;q=0.1").toLanguageTag());
        assertEquals("en", Languages.choose(null, "cy;q=0.2,en-GB;q=0.9").toLanguageTag());
    }

    @Test
    void englishWithoutPreferencesOrForMalformedOnes() {
        assertEquals("en", Languages.choose(null, null).toLanguageTag());
        assertEquals("en", Languages.choose("", ";;;=,q=x").toLanguageTag());
        assertEquals("en", Languages.choose("fr de", "cy;q=0").toLanguageTag());
    }

    @Test
    void welshHasEveryEnglishKey() throws IOException {
        Properties en = load("messages.properties");
        Properties cy = load("messages_cy.properties");
        assertEquals(en.keySet(), cy.keySet());
        assertEquals("Mewngofnodi", Languages.messages(Locale.forLanguageTag("cy")).getString("login.title"));
        assertEquals("Sign in", Languages.messages(Locale.forLanguageTag("en")).getString("login.title"));
    }

    @Test
    void aPermissionCodeWithoutTextKeepsTheServersWords() {
        assertEquals("server text",
                Languages.text(Languages.messages(Locale.ENGLISH), "permission.NoSuch", "server text"));
    }

    private static Properties load(String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Languages.class.getResourceAsStream(name)) {
            p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        return p;
    }
}
