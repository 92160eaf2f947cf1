package io.jenkins.plugins.haupgrade;

import hudson.AbortException;
import io.haupgrade.execute.DryRun;
import io.haupgrade.plan.Plan;
import io.haupgrade.plan.PlanException;
import io.haupgrade.plan.PlanRequest;
import io.haupgrade.plan.Planner;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.NodeSpec;
import io.haupgrade.spec.Role;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code dryRun: true}: the plan with each node's exact command lines, from the declared roles; connects nowhere. */
final class DryPlan {
    private DryPlan() {
    }

    static String render(ClusterSpec spec) throws AbortException {
        Map<String, Role> roles = new LinkedHashMap<>();
        for (NodeSpec n : spec.nodes()) {
            if (n.role() != null) {
                roles.put(n.name(), n.role());
            }
        }
        try {
            Plan plan = Planner.plan(new PlanRequest(spec, null, null, null, roles, null));
            return DryRun.render(spec, plan, roles) + Messages.DryPlan_note() + "\n";
        } catch (PlanException e) {
            throw new AbortException(Messages.DryPlan_refused(e.format()));
        }
    }
}
