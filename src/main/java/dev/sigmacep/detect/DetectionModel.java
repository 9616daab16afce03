package dev.sigmacep.detect;

import dev.sigmacep.correlate.CorrelationPlan;
import dev.sigmacep.correlate.CorrelationPlanner;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.route.CompiledRulePack;
import dev.sigmacep.sigma.rule.CorrelationRule;
import dev.sigmacep.sigma.rule.RuleError;
import dev.sigmacep.sigma.rule.RulePack;
import dev.sigmacep.sigma.rule.RuleSource;
import dev.sigmacep.sigma.rule.SigmaRule;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Everything detection needs, derived from the rule files: the compiled detection rules, the runnable
 * correlation plans, which rules alert on their own, and which correlation roles each rule plays.
 * Pure Java; the job builds it on the client (to shape the graph) and in every detect operator.
 * <p>The rule pack's routing and prefilter ({@link #compiled()}) are built on a thread of their own: with the whole
 * SigmaHQ pack that takes most of a second, which the client spends shaping and submitting the job graph (it needs
 * only the plans) and the detect operators wait for when they open.
 */
public final class DetectionModel {
    /** A rule's part in a correlation: the plan's index and the role number in it. */
    public record Role(int plan, int role) {
    }

    private final RulePack pack;
    private final CompletableFuture<CompiledRulePack> compiled;
    private final List<CorrelationPlan> plans;
    private final List<RuleError> errors;
    private final boolean[] standalone;
    private final Role[][] rolesByRule;
    private final boolean[] plansAlerting;

    private DetectionModel(RulePack pack, CompletableFuture<CompiledRulePack> compiled, List<CorrelationPlan> plans,
                           List<RuleError> errors, boolean[] standalone, Role[][] rolesByRule, boolean[] plansAlerting) {
        this.pack = pack;
        this.compiled = compiled;
        this.plans = plans;
        this.errors = errors;
        this.standalone = standalone;
        this.rolesByRule = rolesByRule;
        this.plansAlerting = plansAlerting;
    }

    public static DetectionModel build(List<RuleSource> sources, MatchContext context) {
        return build(sources, context, null);
    }

    /** @param reuse the files of the previous build, parsed and compiled (see {@link RuleLoader.Reuse}), or null */
    static DetectionModel build(List<RuleSource> sources, MatchContext context, RuleLoader.Reuse reuse) {
        RulePack pack = new RuleLoader(context).load(sources, reuse);
        CompletableFuture<CompiledRulePack> compiled = CompletableFuture.supplyAsync(
                () -> CompiledRulePack.compile(pack.compiled()), DetectionModel::onThreadOfItsOwn);
        CorrelationPlanner.Result planned = new CorrelationPlanner(pack.rules(), pack.correlations())
                .plan(pack.correlations());
        List<RuleError> errors = new ArrayList<>(pack.errors());
        errors.addAll(planned.errors());

        // Sigma's `generate`: a rule or correlation referenced by correlations alerts on its own only if one of
        // them says so
        int rules = pack.compiled().size();
        boolean[] standalone = new boolean[rules];
        boolean[] referenced = new boolean[rules];
        List<CorrelationPlan> plans = planned.plans();
        boolean[] plansAlerting = new boolean[plans.size()];
        boolean[] plansReferenced = new boolean[plans.size()];
        List<List<Role>> roles = new ArrayList<>();
        for (int i = 0; i < rules; i++) {
            roles.add(new ArrayList<>());
        }
        for (int p = 0; p < plans.size(); p++) {
            CorrelationPlan plan = plans.get(p);
            for (int role = 0; role < plan.roleCount(); role++) {
                int inner = plan.roleCorrelation(role);
                if (inner >= 0) {
                    plansReferenced[inner] = true;
                    plansAlerting[inner] |= plan.rule().generate();
                    continue;
                }
                int rule = plan.roleRule(role); // the pack's rule order is the compiled order
                referenced[rule] = true;
                standalone[rule] |= plan.rule().generate();
                roles.get(rule).add(new Role(p, role));
            }
        }
        Role[][] rolesByRule = new Role[rules][];
        for (int i = 0; i < rules; i++) {
            standalone[i] |= !referenced[i];
            rolesByRule[i] = roles.get(i).toArray(new Role[0]);
        }
        for (int p = 0; p < plans.size(); p++) {
            plansAlerting[p] |= !plansReferenced[p];
        }
        return new DetectionModel(pack, compiled, List.copyOf(plans), List.copyOf(errors), standalone, rolesByRule,
                plansAlerting);
    }

    public RulePack pack() { return pack; }

    /** The detection rules' routing and prefilter; waits for them to be built. */
    public CompiledRulePack compiled() {
        try {
            return compiled.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    public List<CorrelationPlan> plans() { return plans; }

    public List<CorrelationRule> correlations() { return pack.correlations(); }

    /** Load errors and correlations that cannot run, each with its reason. */
    public List<RuleError> errors() { return errors; }

    public SigmaRule rule(int index) { return pack.compiled().get(index).rule(); }

    /** Whether a match of the rule is an alert by itself (not only evidence for correlations). */
    public boolean standalone(int rule) { return standalone[rule]; }

    /** Whether a correlation's alerts leave the job (not only feed the correlations built on it). */
    public boolean alertsAlone(int plan) { return plansAlerting[plan]; }

    /** The correlation roles the rule plays (empty when no correlation uses it). */
    public Role[] roles(int rule) { return rolesByRule[rule]; }

    private static void onThreadOfItsOwn(Runnable task) {
        Thread thread = new Thread(task, "compile rule pack");
        thread.setDaemon(true);
        thread.start();
    }
}
