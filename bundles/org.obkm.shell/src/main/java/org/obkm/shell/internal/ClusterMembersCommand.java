package org.obkm.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.obkm.api.cluster.ClusterMembership;
import org.obkm.api.cluster.ClusterMembership.Member;

/** {@code obkm:cluster-members}: the members this node sees. */
@Service
@Command(scope = "obkm", name = "cluster-members", description = "Lists the cluster members")
public class ClusterMembersCommand extends OperatorCommand {

    @Reference
    ClusterMembership cluster;

    @Override
    protected Object run() {
        if (!cluster.joined()) {
            System.out.println("This node has not joined cluster '" + cluster.clusterName() + "' yet.");
            return null;
        }
        System.out.println("Cluster '" + cluster.clusterName() + "': " + cluster.members().size() + " members");
        ShellTable table = new ShellTable();
        table.column("Address");
        table.column("UUID");
        table.column("This node");
        for (Member m : cluster.members()) {
            table.addRow().addContent(m.address(), m.uuid(), m.local() ? "*" : "");
        }
        table.print(System.out);
        return null;
    }
}
