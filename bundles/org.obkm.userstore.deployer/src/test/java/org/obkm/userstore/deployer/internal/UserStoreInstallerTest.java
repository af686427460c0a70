package org.obkm.userstore.deployer.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Dictionary;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.obkm.api.user.UserStoreStatus;
import org.obkm.api.user.UserStoreStatus.State;

class UserStoreInstallerTest {

    private static final String PID = StoreConfigurations.FACTORY_PID + "~EXAMPLE.COM";
    private static final String CFG = "type = ldap\nConnectionURL = ldap://dir:389\nConnectionName = cn=obkm\n";

    @TempDir
    Path home;
    Path dir;
    InMemoryConfigAdmin cm;
    FakeConfigSecrets secrets;
    UserStoreDeploymentsImpl status;
    UserStoreInstaller installer;

    @BeforeEach
    void setUp() throws Exception {
        dir = home.resolve("repository/deployment/server/userstores");
        cm = new InMemoryConfigAdmin();
        secrets = new FakeConfigSecrets();
        status = new UserStoreDeploymentsImpl();
        installer = newInstaller();
    }

    private UserStoreInstaller newInstaller() throws Exception {
        return new UserStoreInstaller(cm, secrets, status, dir, 1000);
    }

    private File write(String name, String content) throws Exception {
        Path p = dir.toRealPath().resolve(name);
        Files.writeString(p, content, UTF_8);
        return p.toFile();
    }

    private Dictionary<String, Object> props(String pid) {
        return cm.get(pid).getProperties();
    }

    private UserStoreStatus statusOf(File f) {
        return status.get(f.getAbsolutePath());
    }

    @Test
    void createsTheFolderAndWatchesItThroughANamedFileInstallConfiguration() throws Exception {
        assertTrue(Files.isDirectory(dir));
        Dictionary<String, Object> w = props("org.apache.felix.fileinstall~obkm-userstores");
        assertEquals(dir.toRealPath().toString(), w.get("felix.fileinstall.dir"));
        assertEquals("1000", w.get("felix.fileinstall.poll"));
        assertEquals("true", w.get("felix.fileinstall.noInitialDelay"));
        assertEquals("true", w.get("felix.fileinstall.disableNio2"));
        assertEquals("skip", w.get("felix.fileinstall.subdir.mode"));
        assertEquals(UserStoreFileParser.FILE_NAME_REGEX, w.get("felix.fileinstall.filter"));
        assertNull(w.get("felix.fileinstall.filename"), "FileInstall would write .cfg syntax into our files");
        assertEquals("?", cm.get("org.apache.felix.fileinstall~obkm-userstores").getBundleLocation());
        assertEquals(dir.toRealPath().toString(), status.directory());
    }

    @Test
    void stopsWatchingWhenDeactivated() {
        installer.deactivate();
        assertNull(cm.get("org.apache.felix.fileinstall~obkm-userstores"));
    }

    @Test
    void resolvesARelativeFolderAgainstKarafHome() {
        String old = System.getProperty("karaf.home");
        System.setProperty("karaf.home", home.toString());
        try {
            assertEquals(home.resolve("a/b").toAbsolutePath(), UserStoreInstaller.resolve("a/b"));
            assertEquals(Path.of("/srv/shared/userstores"), UserStoreInstaller.resolve("/srv/shared/userstores"));
        } finally {
            if (old == null) {
                System.clearProperty("karaf.home");
            } else {
                System.setProperty("karaf.home", old);
            }
        }
    }

    @Test
    void handlesOnlyUserStoreFilesDirectlyInItsFolder() throws Exception {
        assertTrue(installer.canHandle(write("EXAMPLE_COM.xml", "")));
        assertTrue(installer.canHandle(write("EXAMPLE_COM.cfg", "")));
        assertTrue(installer.canHandle(dir.resolve("GONE_COM.cfg").toFile()), "a removed file must still be ours");
        assertFalse(installer.canHandle(write(".EXAMPLE_COM.cfg", "")));
        assertFalse(installer.canHandle(write("EXAMPLE_COM.cfg~", "")));
        assertFalse(installer.canHandle(write("EXAMPLE_COM.txt", "")));
        Files.createDirectories(dir.resolve("sub"));
        assertFalse(installer.canHandle(dir.resolve("sub/EXAMPLE_COM.cfg").toFile()));
        Files.createDirectories(dir.resolve("FOLDER.xml"));
        assertFalse(installer.canHandle(dir.resolve("FOLDER.xml").toFile()));
        Files.writeString(home.resolve("EXAMPLE_COM.cfg"), CFG);
        assertFalse(installer.canHandle(home.resolve("EXAMPLE_COM.cfg").toFile()));
    }

    @Test
    void turnsAFileIntoANamedFactoryConfigurationBoundToItsType() throws Exception {
        File f = write("EXAMPLE_COM.xml", new String(UserStoreFileParserTest.originalLdapFile(), UTF_8)
                .replace("CIPHERTEXT-PLACEHOLDER", secrets.encrypt("pw".toCharArray())));
        installer.install(f);
        Dictionary<String, Object> p = props(PID);
        assertEquals("ldap://dir1.example.com:389 ldap://dir2.example.com:389", p.get("ConnectionURL"));
        assertEquals("(&(objectClass=person)(uid=?))", p.get("UserNameSearchFilter"));
        assertEquals("EXAMPLE.COM", p.get("obkm.userstore.domain"));
        assertEquals(UserStoreFileParserTest.LDAP_CLASS, p.get("obkm.userstore.type"));
        assertEquals(f.getAbsolutePath(), p.get("obkm.userstore.source"));
        assertArrayEquals(new String[] {"ConnectionPassword"}, (String[]) p.get("obkm.userstore.encrypted"));
        assertEquals("(|(obkm.userstore.type=" + UserStoreFileParserTest.LDAP_CLASS + ")(obkm.userstore.class="
                + UserStoreFileParserTest.LDAP_CLASS + "))", p.get("factory.target"));
        assertEquals("?", cm.get(PID).getBundleLocation());
        UserStoreStatus s = statusOf(f);
        assertEquals(State.WAITING_FOR_TYPE, s.state());
        assertEquals("no installed bundle provides type '" + UserStoreFileParserTest.LDAP_CLASS + "'", s.lastError());
    }

    @Test
    void escapesTheTypeInTheReferenceTarget() {
        assertEquals("(|(obkm.userstore.type=a\\(b\\)\\*\\\\)(obkm.userstore.class=a\\(b\\)\\*\\\\))",
                StoreConfigurations.target("a(b)*\\"));
    }

    @Test
    void updatesTheConfigurationOnlyWhenTheContentChanged() throws Exception {
        File f = write("EXAMPLE_COM.cfg", CFG);
        installer.install(f);
        installer.update(f);
        Files.setLastModifiedTime(f.toPath(), FileTime.from(Instant.now().plusSeconds(5)));
        installer.update(f);
        assertEquals(2, cm.updates, "the watcher and the store configuration, once each");
        write("EXAMPLE_COM.cfg", CFG.replace("ldap://dir:389", "ldap://dir2:389"));
        installer.update(f);
        assertEquals(3, cm.updates);
        assertEquals("ldap://dir2:389", props(PID).get("ConnectionURL"));
    }

    @Test
    void storesAPlaintextPasswordEncryptedAndKeepsItsCiphertextWhileUnchanged() throws Exception {
        File f = write("EXAMPLE_COM.cfg", CFG + "ConnectionPassword = plain-secret\n");
        installer.install(f);
        Object stored = props(PID).get("ConnectionPassword");
        assertNotEquals("plain-secret", stored);
        assertEquals("plain-secret", new String(secrets.decrypt((String) stored)));
        assertArrayEquals(new String[] {"ConnectionPassword"}, (String[]) props(PID).get("obkm.userstore.encrypted"));
        for (Object v : java.util.Collections.list(props(PID).elements())) {
            assertFalse(String.valueOf(v).contains("plain-secret"));
        }
        int updates = cm.updates;
        installer.update(f);
        assertEquals(updates, cm.updates);
        assertEquals(stored, props(PID).get("ConnectionPassword"));
        write("EXAMPLE_COM.cfg", CFG + "ConnectionPassword = new-secret\n");
        installer.update(f);
        assertEquals("new-secret", new String(secrets.decrypt((String) props(PID).get("ConnectionPassword"))));
    }

    @Test
    void storesAnEncryptedPasswordAsGiven() throws Exception {
        String c = secrets.encrypt("pw".toCharArray());
        installer.install(write("EXAMPLE_COM.cfg", CFG + "ConnectionPassword = ENC(" + c + ")\n"));
        assertEquals(c, props(PID).get("ConnectionPassword"));
    }

    @Test
    void deletingTheFileDeletesTheConfiguration() throws Exception {
        File f = write("EXAMPLE_COM.cfg", CFG);
        installer.install(f);
        Files.delete(f.toPath());
        installer.uninstall(f);
        assertNull(cm.get(PID));
        assertNull(statusOf(f));
    }

    @Test
    void aBrokenUpdateTakesTheStoreDownAndAFixBringsItBack() throws Exception {
        File f = write("EXAMPLE_COM.cfg", CFG);
        installer.install(f);
        write("EXAMPLE_COM.cfg", "ConnectionURL = ldap://dir:389\n");
        installer.update(f);
        assertNull(cm.get(PID));
        assertEquals(State.FAILED, statusOf(f).state());
        assertTrue(statusOf(f).lastError().startsWith("no type"), statusOf(f).lastError());
        write("EXAMPLE_COM.cfg", CFG);
        installer.update(f);
        assertEquals("ldap", props(PID).get("obkm.userstore.type"));
        assertEquals(State.WAITING_FOR_TYPE, statusOf(f).state());
    }

    @Test
    void refusesAFileWhoseNameIsNotItsDomain() throws Exception {
        File f = write("example.xml", UserStoreFileParserTest.xml("EXAMPLE.COM", ""));
        installer.install(f);
        UserStoreStatus s = statusOf(f);
        assertEquals(State.FAILED, s.state());
        assertEquals("EXAMPLE.COM", s.domain());
        assertEquals("domain EXAMPLE.COM needs the file name EXAMPLE_COM.xml", s.lastError());
        assertTrue(cm.pids().stream().noneMatch(p -> p.startsWith(StoreConfigurations.FACTORY_PID)));
    }

    @Test
    void aSecondFileOfADomainIsRefusedUntilTheFirstIsGone() throws Exception {
        File first = write("EXAMPLE_COM.xml", UserStoreFileParserTest.xml("EXAMPLE.COM", ""));
        File second = write("EXAMPLE_COM.cfg", CFG);
        installer.install(first);
        installer.install(second);
        assertEquals(State.FAILED, statusOf(second).state());
        assertEquals("domain EXAMPLE.COM already comes from file " + first.getAbsolutePath(),
                statusOf(second).lastError());
        assertEquals(first.getAbsolutePath(), props(PID).get("obkm.userstore.source"));
        Files.delete(first.toPath());
        installer.uninstall(first);
        assertEquals(second.getAbsolutePath(), props(PID).get("obkm.userstore.source"));
        assertEquals(State.WAITING_FOR_TYPE, statusOf(second).state());
    }

    @Test
    void theFirstFileKeepsItsDomainAcrossARestart() throws Exception {
        File first = write("EXAMPLE_COM.xml", UserStoreFileParserTest.xml("EXAMPLE.COM", ""));
        File second = write("EXAMPLE_COM.cfg", CFG);
        installer.install(first);
        installer.deactivate();
        UserStoreInstaller restarted = newInstaller();
        // FileInstall offers the files again in name order: .cfg before .xml.
        restarted.install(second);
        restarted.install(first);
        assertEquals(first.getAbsolutePath(), props(PID).get("obkm.userstore.source"));
        assertEquals(State.FAILED, statusOf(second).state());
    }

    @Test
    void reconcilesConfigurationsWhoseFilesWentAwayMeanwhile() throws Exception {
        File kept = write("KEPT_COM.cfg", CFG);
        File gone = write("GONE_COM.cfg", CFG);
        installer.install(kept);
        installer.install(gone);
        installer.deactivate();
        Files.delete(gone.toPath());
        newInstaller();
        assertNull(cm.get(StoreConfigurations.FACTORY_PID + "~GONE.COM"));
        assertEquals(kept.getAbsolutePath(), props(StoreConfigurations.FACTORY_PID + "~KEPT.COM")
                .get("obkm.userstore.source"));
    }

    @Test
    void aDisabledFileHasNoStore() throws Exception {
        File f = write("EXAMPLE_COM.cfg", CFG);
        installer.install(f);
        write("EXAMPLE_COM.cfg", CFG + "Disabled = true\n");
        installer.update(f);
        assertNull(cm.get(PID));
        assertEquals(State.DISABLED, statusOf(f).state());
    }

    @Test
    void listsEveryFileByDomain() throws Exception {
        installer.install(write("ZULU_COM.cfg", CFG));
        installer.install(write("ALPHA_COM.cfg", CFG + "Disabled = true\n"));
        installer.install(write("MIKE_COM.xml", "garbage"));
        List<UserStoreStatus> all = status.list();
        assertEquals(List.of("ALPHA.COM", "MIKE.COM", "ZULU.COM"), all.stream().map(UserStoreStatus::domain).toList());
        assertEquals(List.of(State.DISABLED, State.FAILED, State.WAITING_FOR_TYPE),
                all.stream().map(UserStoreStatus::state).toList());
    }

    @Test
    void aDeactivatedInstallerIgnoresWhatTheOldWatcherStillReports() throws Exception {
        installer.deactivate();
        installer.install(write("EXAMPLE_COM.cfg", CFG));
        assertNull(cm.get(PID));
        assertTrue(status.list().isEmpty());
    }

    @Test
    void movingTheFolderTakesDownTheStoresOfTheOldOne() throws Exception {
        File old = write("EXAMPLE_COM.cfg", CFG);
        installer.install(old);
        installer.deactivate();
        dir = home.resolve("elsewhere");
        newInstaller();
        assertNull(cm.get(PID));
        assertNull(statusOf(old));
        assertEquals(dir.toRealPath().toString(), props("org.apache.felix.fileinstall~obkm-userstores")
                .get("felix.fileinstall.dir"));
    }
}
