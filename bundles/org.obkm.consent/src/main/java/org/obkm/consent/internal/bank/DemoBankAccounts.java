package org.obkm.consent.internal.bank;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.obkm.api.bank.BankAccount;
import org.obkm.api.bank.BankAccounts;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bank backend for trying and testing: the accounts of each PSU come from configuration, keyed by the
 * name they sign in with ({@code *} for everyone else). Runs only while its configuration file exists,
 * and below any real backend ({@code service.ranking} -100). A change applies at once.
 */
@Component(service = BankAccounts.class, configurationPid = DemoBankAccounts.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = Constants.SERVICE_RANKING + ":Integer=-100")
@Designate(ocd = DemoBankConfig.class)
public final class DemoBankAccounts implements BankAccounts {

    static final String PID = "org.obkm.consent.demobank";
    static final String EVERYONE = "*";
    private static final Logger LOG = LoggerFactory.getLogger(DemoBankAccounts.class);

    private volatile Map<String, List<BankAccount>> byUser;

    @Activate
    public DemoBankAccounts(DemoBankConfig config) {
        modified(config);
    }

    @Modified
    void modified(DemoBankConfig config) {
        byUser = parse(config.accounts());
        LOG.info("Demo bank backend: accounts for {} user entries", byUser.size());
    }

    @Override
    public List<BankAccount> accountsOf(String subject, String username) {
        Map<String, List<BankAccount>> now = byUser;
        List<BankAccount> own = username == null ? null : now.get(username);
        return own != null ? own : now.getOrDefault(EVERYONE, List.of());
    }

    /**
     * The entries of the configuration; one that does not parse is left out with a WARN. FileInstall hands
     * a comma-separated value as one string, so each value is split at commas too.
     */
    static Map<String, List<BankAccount>> parse(String[] entries) {
        Map<String, List<BankAccount>> out = new LinkedHashMap<>();
        if (entries == null) {
            return out;
        }
        for (String value : entries) {
            for (String entry : value.split(",")) {
                String e = entry.strip();
                if (e.isEmpty()) {
                    continue;
                }
                String[] f = e.split("\\|", -1);
                if (f.length != 6 || f[0].isBlank()) {
                    LOG.warn("Demo bank account entry left out (want user|accountId|name|schemeName|identification"
                            + "|currency): {}", e);
                    continue;
                }
                try {
                    out.computeIfAbsent(f[0].strip(), u -> new ArrayList<>()).add(new BankAccount(f[1].strip(),
                            f[2].strip(), f[3].strip(), f[4].strip(), f[5].strip()));
                } catch (IllegalArgumentException ex) {
                    LOG.warn("Demo bank account entry left out ({}): {}", ex.getMessage(), e);
                }
            }
        }
        out.replaceAll((u, l) -> List.copyOf(l));
        return Map.copyOf(out);
    }
}
