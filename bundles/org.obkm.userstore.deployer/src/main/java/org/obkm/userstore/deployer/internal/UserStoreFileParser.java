package org.obkm.userstore.deployer.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.obkm.api.user.UserStore;

/**
 * Reads user store files: the original product's XML ({@code <UserStoreManager class="...">} with
 * {@code <Property name="...">} children, as WSO2 Identity Server writes into
 * {@code repository/deployment/server/userstores/}) and a Karaf {@code .cfg} form with {@code type}
 * or {@code class}. The rules are the original's where it has them: a file's name is its domain with
 * {@code .} replaced by {@code _}. XML is read with DTDs refused, so no entity can reach a file or the
 * network (OWASP XXE prevention). Messages never contain a property's value.
 */
final class UserStoreFileParser {

    /** The names FileInstall passes on and {@link #canHandle} accepts: no hidden or editor files. */
    static final String FILE_NAME_REGEX = "[A-Za-z0-9][A-Za-z0-9._-]*\\.(xml|cfg)";
    static final String DOMAIN_NAME = "DomainName";
    static final String DISABLED = "Disabled";
    static final int MAX_BYTES = 1 << 20;

    private static final Pattern FILE_NAME = Pattern.compile(FILE_NAME_REGEX);
    private static final Pattern DOMAIN = Pattern.compile("[A-Z0-9]([A-Z0-9.-]{0,62}[A-Z0-9])?");
    private static final Pattern PROPERTY_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,127}");
    private static final Pattern TYPE = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$.-]{0,254}");
    private static final Pattern ENC = Pattern.compile("ENC\\((.*)\\)", Pattern.DOTALL);
    // Listed, not guessed: the original product has "Password" names that hold no secret (StoreSaltedPassword).
    private static final Set<String> SECRETS = Set.of("connectionpassword", "password", "truststorepassword",
            "keystorepassword");
    private static final String[] RESERVED_PREFIXES = {"service.", "component.", "obkm.", "felix.", "objectclass"};

    private UserStoreFileParser() {
    }

    /** Whether a file name is one of ours: {@code .xml} or {@code .cfg}, not hidden, no editor leftover. */
    static boolean isUserStoreFileName(String name) {
        return FILE_NAME.matcher(name).matches();
    }

    /** Whether a property holds a secret: never logged, encrypted before it reaches ConfigurationAdmin. */
    static boolean isSecret(String name) {
        return SECRETS.contains(name.toLowerCase(Locale.ROOT));
    }

    /** Whether a name belongs to the configuration's own keys (or DS's), never to a file's properties. */
    static boolean isReserved(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String p : RESERVED_PREFIXES) {
            if (n.startsWith(p)) {
                return true;
            }
        }
        return n.endsWith(".target");
    }

    /** The file name a domain needs, without extension: {@code EXAMPLE.COM} → {@code EXAMPLE_COM}. */
    static String baseNameOf(String domain) {
        return domain.replace('.', '_');
    }

    static UserStoreFile parse(Path file) throws InvalidUserStoreFileException, IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw refused("the file is larger than " + MAX_BYTES + " bytes", "", "");
        }
        return parse(file.getFileName().toString(), Files.readAllBytes(file));
    }

    static UserStoreFile parse(String fileName, byte[] content) throws InvalidUserStoreFileException {
        if (!isUserStoreFileName(fileName)) {
            throw refused("the file name must end in .xml or .cfg and start with a letter or digit", "", "");
        }
        if (content.length > MAX_BYTES) {
            throw refused("the file is larger than " + MAX_BYTES + " bytes", "", "");
        }
        if (new String(content, StandardCharsets.ISO_8859_1).isBlank()) {
            throw refused("the file is empty", "", "");
        }
        boolean xml = fileName.endsWith(".xml");
        String base = fileName.substring(0, fileName.length() - 4);
        Raw raw = xml ? readXml(content) : readCfg(content);
        return validate(raw, base, xml);
    }

    /** What a file says before validation. */
    private record Raw(String type, Map<String, String> properties, Set<String> encrypted) {
    }

    private static Raw readXml(byte[] content) throws InvalidUserStoreFileException {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        // With no DTD only the five predefined entities exist; any other reference is an error.
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, true);
        String type = null;
        Map<String, String> props = new LinkedHashMap<>();
        Set<String> encrypted = new HashSet<>();
        Set<String> duplicates = new TreeSet<>();
        try (InputStream in = new ByteArrayInputStream(content)) {
            XMLStreamReader r = f.createXMLStreamReader(in);
            int depth = 0;
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.DTD || event == XMLStreamConstants.ENTITY_REFERENCE) {
                    throw refused("the XML has a DOCTYPE or entity reference; user store files may not"
                            + " (refused to prevent XML external entity attacks)", "", "");
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                } else if (event == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    String element = r.getLocalName();
                    if (depth == 1) {
                        if (!"UserStoreManager".equals(element)) {
                            throw refused("the root element must be <UserStoreManager>, not <" + shorten(element)
                                    + ">", "", "");
                        }
                        type = attribute(r, "class");
                    } else if (depth == 2 && "Property".equals(element)) {
                        String name = attribute(r, "name");
                        if (name == null || name.isBlank()) {
                            throw refused("a <Property> has no name attribute", "", type);
                        }
                        name = name.strip();
                        boolean enc = "true".equalsIgnoreCase(String.valueOf(attribute(r, "encrypted")).strip());
                        String value = r.getElementText().strip();
                        depth--;
                        if (props.put(name, value) != null) {
                            duplicates.add(name);
                        }
                        if (enc) {
                            encrypted.add(name);
                        }
                    }
                }
            }
            r.close();
        } catch (XMLStreamException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNumber() + ", column " + e.getLocation().getColumnNumber();
            throw refused("not well-formed XML" + where, "", type);
        } catch (IOException e) {
            throw refused("cannot be read", "", type);
        }
        if (!duplicates.isEmpty()) {
            throw refused("property " + duplicates.iterator().next() + " appears more than once", "", type);
        }
        if (type == null || type.isBlank()) {
            throw refused("<UserStoreManager> has no class attribute", "", "");
        }
        return new Raw(type.strip(), props, encrypted);
    }

    private static String attribute(XMLStreamReader r, String name) {
        for (int i = 0; i < r.getAttributeCount(); i++) {
            if (name.equals(r.getAttributeLocalName(i))) {
                return r.getAttributeValue(i);
            }
        }
        return null;
    }

    private static Raw readCfg(byte[] content) throws InvalidUserStoreFileException {
        Map<String, String> props = new LinkedHashMap<>();
        Set<String> duplicates = new TreeSet<>();
        Properties reader = new Properties() {
            private static final long serialVersionUID = 1L;

            @Override
            public synchronized Object put(Object key, Object value) {
                if (props.put((String) key, ((String) value).strip()) != null) {
                    duplicates.add((String) key);
                }
                return null;
            }
        };
        try {
            reader.load(new StringReader(text(content)));
        } catch (IOException | IllegalArgumentException e) {
            throw refused("not a properties file (bad \\u escape?)", "", "");
        }
        String type = props.remove("type");
        String clazz = props.remove("class");
        if (!duplicates.isEmpty()) {
            throw refused("property " + shorten(duplicates.iterator().next()) + " appears more than once", "",
                    type != null ? type : clazz);
        }
        if (type != null && clazz != null) {
            throw refused("give either type or class, not both", "", type);
        }
        if ((type == null || type.isEmpty()) && (clazz == null || clazz.isEmpty())) {
            throw refused("no type (e.g. type = ldap) or class (the original product's user store manager"
                    + " class)", "", "");
        }
        Set<String> encrypted = new HashSet<>();
        for (Map.Entry<String, String> e : props.entrySet()) {
            Matcher m = ENC.matcher(e.getValue());
            if (m.matches()) {
                e.setValue(m.group(1).strip());
                encrypted.add(e.getKey());
            }
        }
        return new Raw(type != null ? type : clazz, props, encrypted);
    }

    private static String text(byte[] content) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            // Karaf writes .cfg files in ISO-8859-1; a file that is not UTF-8 is taken as such.
            return new String(content, StandardCharsets.ISO_8859_1);
        }
    }

    private static UserStoreFile validate(Raw raw, String base, boolean xml) throws InvalidUserStoreFileException {
        String type = raw.type();
        if (!TYPE.matcher(type).matches()) {
            throw refused("type '" + shorten(type) + "' is not a type or class name", "", "");
        }
        Set<String> lower = new HashSet<>();
        for (String name : raw.properties().keySet()) {
            if (!PROPERTY_NAME.matcher(name).matches()) {
                throw refused("a property name has characters other than letters, digits, '.', '_' and '-'",
                        "", type);
            }
            if (isReserved(name)) {
                throw refused("property " + name + " is reserved for the deployer", "", type);
            }
            if (!lower.add(name.toLowerCase(Locale.ROOT))) {
                // ConfigurationAdmin keys ignore case: two spellings would overwrite each other.
                throw refused("property " + name + " appears more than once (names ignore case)", "", type);
            }
        }
        for (String name : new String[] {DOMAIN_NAME, DISABLED}) {
            if (raw.encrypted().contains(name)) {
                throw refused(name + " cannot be encrypted", "", type);
            }
        }
        String declared = raw.properties().get(DOMAIN_NAME);
        if (xml && (declared == null || declared.isEmpty())) {
            throw refused("no DomainName property", "", type);
        }
        String domain = (declared == null || declared.isEmpty() ? base.replace('_', '.') : declared)
                .toUpperCase(Locale.ROOT);
        if (!DOMAIN.matcher(domain).matches()) {
            throw refused("domain '" + shorten(domain) + "' may contain only letters, digits, '.' and '-'"
                    + " (at most 64, starting and ending with a letter or digit)", "", type);
        }
        if (UserStore.PRIMARY.equals(domain)) {
            throw refused("domain " + UserStore.PRIMARY + " is reserved for the primary user store", domain, type);
        }
        String expected = baseNameOf(domain);
        if (!expected.equalsIgnoreCase(base)) {
            throw refused("domain " + domain + " needs the file name " + expected + (xml ? ".xml" : ".cfg"),
                    domain, type);
        }
        String disabled = raw.properties().getOrDefault(DISABLED, "false");
        if (!"true".equalsIgnoreCase(disabled) && !"false".equalsIgnoreCase(disabled)) {
            throw refused("Disabled must be true or false", domain, type);
        }
        Set<String> plaintext = new TreeSet<>();
        for (Map.Entry<String, String> e : raw.properties().entrySet()) {
            boolean enc = raw.encrypted().contains(e.getKey());
            if (enc && e.getValue().isEmpty()) {
                throw refused("property " + e.getKey() + " is marked encrypted but has no value", domain, type);
            }
            if (!enc && isSecret(e.getKey()) && !e.getValue().isEmpty()) {
                plaintext.add(e.getKey());
            }
        }
        return new UserStoreFile(domain, type, "true".equalsIgnoreCase(disabled), raw.properties(),
                raw.encrypted(), plaintext);
    }

    private static String shorten(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }

    private static InvalidUserStoreFileException refused(String message, String domain, String type) {
        return new InvalidUserStoreFileException(message, domain, type);
    }
}
