package org.obkm.userstore.ldap.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Value;
import org.obkm.api.user.User;

/**
 * Turns directory entries into {@link User}s: the id from {@code UserIDAttribute}, the display name
 * from {@code DisplayNameAttribute}, and the usual person attributes (RFC 4519, RFC 2798) under the
 * names of the OpenID Connect standard claims (OpenID Connect Core 1.0 section 5.1), so the ID token
 * and userinfo can use them as they are. Nothing else leaves the directory; passwords are never read.
 */
final class EntryMapper {

    /** A user entry as found: its DN (for binds and group searches) and what the sign-in decision needs. */
    record Found(String dn, User user, boolean lockHint, List<String> memberOf) {
    }

    /** Directory attribute → OpenID Connect claim. */
    static final Map<String, String> CLAIMS = Map.of("mail", "email", "givenName", "given_name", "sn", "family_name",
            "telephoneNumber", "phone_number", "cn", "name");

    /** OpenLDAP ppolicy: the account is locked (this value: until an administrator unlocks it). */
    static final String PWD_LOCKED = "pwdAccountLockedTime";
    private static final String PERMANENT_LOCK = "000001010000Z";
    /** Active Directory: flag 0x2 of userAccountControl is ACCOUNTDISABLE (MS-ADTS 2.2.16). */
    static final String AD_CONTROL = "userAccountControl";

    private final LdapSettings settings;
    private final String domain;
    private final List<String> attributes;

    EntryMapper(String domain, LdapSettings settings) {
        this.domain = domain;
        this.settings = settings;
        Set<String> a = new LinkedHashSet<>(List.of(settings.userNameAttribute(), settings.userIdAttribute(),
                settings.displayNameAttribute(), PWD_LOCKED, AD_CONTROL));
        a.addAll(CLAIMS.keySet());
        if (settings.groupsFromUserEntry()) {
            a.add(settings.memberOfAttribute());
        }
        this.attributes = List.copyOf(a);
    }

    /** The attributes to ask the directory for. */
    List<String> attributes() {
        return attributes;
    }

    /**
     * The user of an entry; {@code wanted} (may be null) picks among several values of the username
     * attribute the one that was signed in with.
     *
     * @throws Directory.Refused when the entry has no id or no username: a configuration error
     */
    Found map(Entry entry, String wanted) {
        String dn = entry.getDn().getName();
        List<String> names = values(entry, settings.userNameAttribute());
        String username = names.stream().filter(n -> n.equalsIgnoreCase(wanted)).findFirst()
                .orElse(names.isEmpty() ? null : names.get(0));
        List<String> ids = values(entry, settings.userIdAttribute());
        if (username == null || ids.isEmpty()) {
            throw new Directory.Refused("directory of " + domain + ": the entry " + dn + " has no " + (username == null
                    ? settings.userNameAttribute() + " (UserNameAttribute)" : settings.userIdAttribute()
                    + " (UserIDAttribute)") + " value readable by the service account");
        }
        Map<String, List<String>> claims = new LinkedHashMap<>();
        CLAIMS.forEach((attribute, claim) -> {
            List<String> v = values(entry, attribute);
            if (!v.isEmpty()) {
                claims.put(claim, v);
            }
        });
        List<String> display = values(entry, settings.displayNameAttribute());
        List<String> locks = values(entry, PWD_LOCKED);
        boolean disabled = values(entry, AD_CONTROL).stream().anyMatch(EntryMapper::adDisabled);
        boolean locked = disabled || locks.contains(PERMANENT_LOCK);
        User user = new User(ids.get(0), domain, username, display.isEmpty() ? "" : display.get(0), locked, claims);
        List<String> memberOf = settings.groupsFromUserEntry() ? values(entry, settings.memberOfAttribute()) : List.of();
        return new Found(dn, user, locked || !locks.isEmpty(), memberOf);
    }

    /** The same user with its group names. */
    Found withGroups(Found f, List<String> groups) {
        Map<String, List<String>> claims = new LinkedHashMap<>(f.user().attributes());
        claims.put("groups", List.copyOf(groups));
        User u = f.user();
        return new Found(f.dn(), new User(u.id(), u.domain(), u.username(), u.displayName(), u.locked(), claims),
                f.lockHint(), f.memberOf());
    }

    private static boolean adDisabled(String v) {
        try {
            return (Long.parseLong(v.trim()) & 0x2) != 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Values as strings; binary ones (AD's objectGUID) as a UUID when 16 bytes long, else as hex. */
    static List<String> values(Entry entry, String attribute) {
        Attribute a = entry.get(attribute);
        if (a == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(a.size());
        for (Value v : a) {
            if (v.isHumanReadable()) {
                out.add(v.getString());
            } else {
                byte[] b = v.getBytes();
                out.add(b.length == 16 ? LdapText.guidToString(b) : hex(b));
            }
        }
        return out;
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
    }
}
