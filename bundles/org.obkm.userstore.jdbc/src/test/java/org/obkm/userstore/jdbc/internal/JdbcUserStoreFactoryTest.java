package org.obkm.userstore.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.obkm.api.user.UserAdmin;
import org.obkm.api.user.UserStore;
import org.obkm.persistence.internal.SchemaMigrator;

class JdbcUserStoreFactoryTest {

    private JdbcUserStoreFactory factory;

    @BeforeEach
    void setUp() throws SQLException {
        DataSource dataSource = JdbcUserStoreTest.h2("factory");
        new SchemaMigrator(dataSource).migrate(new UserSchema());
        factory = new JdbcUserStoreFactory(dataSource, new MutableClock());
    }

    @Test
    void refusesAFileThatNamesADatabaseOfItsOwn() {
        Map<String, String> original = new LinkedHashMap<>();
        original.put("url", "jdbc:mysql://db.bank.example:3306/users");
        original.put("driverName", "com.mysql.jdbc.Driver");
        original.put("userName", "um");
        original.put("password", "s3cret-db-password");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> factory.create("EXAMPLE.COM", original));
        assertTrue(e.getMessage().startsWith("user store EXAMPLE.COM: type jdbc keeps users in OBKM's shared database;"
                + " a separate database (url) is not supported"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), "never a secret");
        assertFalse(e.getMessage().contains("mysql"));
    }

    @Test
    void refusesEachPropertyThatNamesADatabase() {
        for (String name : new String[] {"driverName", "URL", "dataSource"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> factory.create("EXAMPLE.COM", Map.of(name, "x")), name);
            assertTrue(e.getMessage().contains("a separate database (" + name.replace("URL", "url") + ")"),
                    e.getMessage());
        }
    }

    @Test
    void aBlankUrlNamesNoDatabase() {
        assertEquals("EXAMPLE.COM", factory.create("EXAMPLE.COM", Map.of("url", " ")).domain());
    }

    @Test
    void makesAWritableStoreOfTheDomainInUpperCase() {
        UserStore store = factory.create(" example.com ", Map.of());
        assertEquals("EXAMPLE.COM", store.domain());
        assertTrue(store.as(UserAdmin.class).isPresent());
    }

    @Test
    void readsItsOwnSettingsAndTakesThePrimaryDefaultsForTheRest() {
        JdbcUserStore store = (JdbcUserStore) factory.create("EXAMPLE.COM",
                Map.of("pbkdf2Iterations", " 700000 ", "lockoutSeconds", "60"));
        assertEquals(new Settings(700_000, 5, 60, 12), store.settings());
        assertEquals(Settings.defaults(), ((JdbcUserStore) factory.create("EXAMPLE.COM", Map.of())).settings());
        assertEquals(new Settings(600_000, 5, 900, 12), Settings.defaults());
    }

    @Test
    void ignoresPropertiesItDoesNotUse() {
        Map<String, String> original = Map.of("DomainName", "EXAMPLE.COM", "Disabled", "false",
                "PasswordDigest", "SHA-256", "ReadGroups", "true", "SelectUserSQL", "SELECT * FROM UM_USER");
        assertEquals("EXAMPLE.COM", factory.create("EXAMPLE.COM", original).domain());
    }

    @Test
    void refusesSettingsThatAreNoNumberOrOutOfBounds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> factory.create("EXAMPLE.COM", Map.of("maxFailedAttempts", "five")));
        assertEquals("user store EXAMPLE.COM: maxFailedAttempts must be a whole number, got 'five'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> factory.create("EXAMPLE.COM", Map.of("pbkdf2Iterations", "10")));
        assertTrue(e.getMessage().startsWith("user store EXAMPLE.COM: pbkdf2Iterations must be between"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> factory.create("EXAMPLE.COM", Map.of("minPasswordLength", "4")));
    }

    @Test
    void refusesThePrimaryDomainAndDomainsThatCannotBeStored() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> factory.create("primary", Map.of()));
        assertTrue(e.getMessage().contains("cannot claim it"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> factory.create("A".repeat(65), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> factory.create("BANK/RETAIL", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> factory.create("BANK RETAIL", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> factory.create(" ", Map.of()));
        assertEquals("A".repeat(64), factory.create("a".repeat(64), Map.of()).domain());
    }

    @Test
    void registersForTypeJdbcAndTheOriginalProductsJdbcClasses() throws IOException {
        String xml = Files.readString(Path.of("target/classes/OSGI-INF/" + JdbcUserStoreFactory.class.getName()
                + ".xml"));
        assertTrue(xml.contains("<provide interface=\"org.obkm.api.user.spi.UserStoreFactory\"/>"), xml);
        assertTrue(xml.contains("<property name=\"obkm.userstore.type\" type=\"String\" value=\"jdbc\"/>"), xml);
        assertTrue(xml.contains("<property name=\"obkm.userstore.class\" type=\"String\">"
                + "org.wso2.carbon.user.core.jdbc.JDBCUserStoreManager\n"
                + "org.wso2.carbon.user.core.jdbc.UniqueIDJDBCUserStoreManager</property>"), xml);
        assertTrue(xml.contains("target=\"(osgi.jndi.service.name=obkm)\""), xml);
    }
}
