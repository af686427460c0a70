package org.obkm.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.obkm.api.health.DrainControl;

/**
 * {@code obkm:node-drain [--undo]}: takes this node out of the load balancer (its {@code /health}
 * answers 503 DRAINING) while it keeps serving what still comes, and waits until it is quiet; the node
 * stays out until {@code --undo}. It does not stop: stop it afterwards with {@code bin/stop}.
 */
@Service
@Command(scope = "obkm", name = "node-drain", description = "Takes this node out of the load balancer: /health answers"
        + " 503 DRAINING while requests still coming are served; waits until quiet (etc/org.obkm.shutdown.cfg)."
        + " The node keeps running out of rotation: undo with obkm:node-drain --undo, or stop it with bin/stop.")
public class NodeDrainCommand extends OperatorCommand {

    @Reference
    DrainControl drain;

    @Option(name = "--undo", description = "Ends the drain: /health answers as before and the balancer sends traffic again")
    boolean undo;

    @Override
    protected Object run() {
        if (undo) {
            if (!drain.resume()) {
                throw new IllegalStateException("this node is not drained by an operator (it is " + drain.phaseName()
                        + ")");
            }
            System.out.println("Drain ended: /health answers as before; the balancer puts the node back after its"
                    + " next checks.");
            return null;
        }
        int inFlight = drain.drain();
        System.out.println("Drained: /health answers 503 DRAINING, " + inFlight + " request(s) still in flight."
                + " Undo with obkm:node-drain --undo; stop with bin/stop.");
        return null;
    }
}
