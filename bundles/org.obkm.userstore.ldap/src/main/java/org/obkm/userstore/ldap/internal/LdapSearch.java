package org.obkm.userstore.ldap.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.directory.api.ldap.model.cursor.CursorException;
import org.apache.directory.api.ldap.model.cursor.SearchCursor;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapInvalidDnException;
import org.apache.directory.api.ldap.model.message.AliasDerefMode;
import org.apache.directory.api.ldap.model.message.Response;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.api.ldap.model.message.SearchRequest;
import org.apache.directory.api.ldap.model.message.SearchRequestImpl;
import org.apache.directory.api.ldap.model.message.SearchResultDone;
import org.apache.directory.api.ldap.model.message.SearchResultEntry;
import org.apache.directory.api.ldap.model.message.SearchScope;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.ldap.client.api.LdapNetworkConnection;

/**
 * One search on one connection (RFC 4511 section 4.5). Answers the directory refuses (a bad filter, an
 * insufficient access right) become {@link Directory.Refused}; a missing answer or a broken connection
 * an {@link LdapException}, so that the caller discards the connection.
 */
final class LdapSearch {

    /** The entries found, and whether the size limit cut the result short. */
    record Result(List<Entry> entries, boolean truncated) {
    }

    private LdapSearch() {
    }

    static Result run(LdapNetworkConnection c, String base, SearchScope scope, String filter, long sizeLimit,
            long readTimeoutMillis, List<String> attributes) throws LdapException {
        SearchRequest request = new SearchRequestImpl();
        try {
            request.setBase(new Dn(base));
            request.setFilter(filter);
        } catch (LdapInvalidDnException e) {
            throw new Directory.Refused("not a DN: " + base);
        } catch (LdapException e) {
            throw new Directory.Refused("not a search filter: " + filter);
        }
        request.setScope(scope);
        request.setSizeLimit(sizeLimit);
        request.setTimeLimit((int) Math.max(1, (readTimeoutMillis + 999) / 1000));
        request.setDerefAliases(AliasDerefMode.NEVER_DEREF_ALIASES);
        request.addAttributes(attributes.toArray(String[]::new));
        List<Entry> entries = new ArrayList<>();
        SearchResultDone done;
        SearchCursor cursor = c.search(request);
        try {
            while (cursor.next()) {
                Response r = cursor.get();
                if (r instanceof SearchResultEntry e && entries.size() < sizeLimit) {
                    entries.add(e.getEntry());
                }
            }
            done = cursor.getSearchResultDone();
        } catch (CursorException e) {
            throw new LdapException("search cursor failed: " + e.getMessage(), e);
        } finally {
            try {
                cursor.close();
            } catch (IOException e) {
                // the connection is judged by the outcome of the search, not by closing its cursor
            }
        }
        if (done == null) {
            throw new LdapException("the search ended without a result");
        }
        ResultCodeEnum code = done.getLdapResult().getResultCode();
        return switch (code) {
            case SUCCESS, REFERRAL, NO_SUCH_OBJECT -> new Result(entries, false);
            case SIZE_LIMIT_EXCEEDED -> new Result(entries, true);
            case BUSY, UNAVAILABLE, PROTOCOL_ERROR, OTHER, TIME_LIMIT_EXCEEDED, ADMIN_LIMIT_EXCEEDED ->
                    throw new LdapException("the directory answered " + code.getMessage());
            default -> throw new Directory.Refused("search under " + base + ": " + code.getMessage()
                    + ConnectionFactory.diagnostic(done.getLdapResult()));
        };
    }
}
