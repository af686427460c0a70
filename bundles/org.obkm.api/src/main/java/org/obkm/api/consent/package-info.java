/**
 * Open-banking consents (the UK Open Banking Read/Write API v3.1 "intents"): account-access,
 * domestic-payment and funds-confirmation consents a TPP lodges before the PSU authorises them at the
 * bank, their statuses and lifecycle ({@link ConsentLifecycle}), kept in the shared database with an
 * audit trail of every change ({@link ConsentEvent}), and the {@link ConsentService} that moves them.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.obkm.api.consent;
