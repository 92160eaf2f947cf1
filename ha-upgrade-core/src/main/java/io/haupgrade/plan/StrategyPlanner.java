package io.haupgrade.plan;

/** Lays out the steps of one strategy. */
interface StrategyPlanner {
    void plan(Rollout rollout, StepSequence steps) throws PlanException;
}
