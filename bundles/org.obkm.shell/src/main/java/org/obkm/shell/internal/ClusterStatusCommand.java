package org.obkm.shell.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.obkm.api.cluster.ClusterStatus;
import org.obkm.api.cluster.ClusterStatus.Member;
import org.obkm.api.cluster.ClusterStatus.Part;
import org.obkm.api.cluster.ClusterStatus.Partitions;

/**
 * {@code obkm:cluster-status}: the members with address, version, uptime and health as each last
 * reported it, this node's view of its database and user store folder (its health parts), and the
 * partitions of the shared maps.
 */
@Service
@Command(scope = "obkm", name = "cluster-status", description = "Shows the cluster: members (address, version, uptime,"
        + " health), this node's database and user store folder, partition and migration state")
public class ClusterStatusCommand extends OperatorCommand {

    @Reference
    ClusterStatus cluster;

    @Override
    protected Object run() {
        if (!cluster.joined()) {
            throw new IllegalStateException("this node has not joined cluster '" + cluster.clusterName() + "' yet");
        }
        List<Member> members = cluster.members();
        Partitions p = cluster.partitions();
        Instant now = Instant.now();
        System.out.println("Cluster '" + cluster.clusterName() + "': " + members.size() + " members");
        ShellTable table = new ShellTable();
        table.column("Address");
        table.column("Version");
        table.column("Uptime").alignRight();
        table.column("Health");
        table.column("Reported").alignRight();
        table.column("This node");
        for (Member m : members) {
            table.addRow().addContent(m.address(), orDash(m.version()),
                    m.started() == null ? "-" : duration(Duration.between(m.started(), now)),
                    m.health() == null ? "not reported" : m.health(),
                    m.reported() == null ? "-" : duration(Duration.between(m.reported(), now)) + " ago",
                    m.local() ? "*" : "");
        }
        table.print(System.out);
        System.out.println("Partitions: " + p.count() + ", without owner: " + p.withoutOwner() + ", cluster safe: "
                + yesNo(p.clusterSafe()) + ", this member safe to leave: " + yesNo(p.localMemberSafe()));
        System.out.println("Migration: " + (p.migrating() ? "running" : "none running") + " (last: "
                + p.lastMigrationCompleted() + " of " + p.lastMigrationPlanned() + " migrations completed)");
        Member self = members.stream().filter(Member::local).findFirst().orElse(null);
        System.out.println("This node:");
        ShellTable parts = new ShellTable();
        parts.column("Part");
        parts.column("Status");
        parts.column("Detail");
        for (Part part : self == null ? List.<Part>of() : self.parts()) {
            parts.addRow().addContent(part.name(), part.up() ? "UP" : "DOWN", part.detail());
        }
        parts.print(System.out);
        return null;
    }

    static String duration(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + s % 60 + "s";
        }
        return s / 86_400 > 0 ? s / 86_400 + "d" + s % 86_400 / 3600 + "h" : s / 3600 + "h" + s % 3600 / 60 + "m";
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
