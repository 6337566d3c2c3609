/**
 * Races and lifetimes (docs/races.md): the ops of a {@code together} group run
 * at the same time, each task on its own thread, one step at a time. The
 * hooks of rmaplab.steps are the points between steps; {@link
 * rmaplab.race.Execution} is the scheduler and the oracle under concurrency
 * (completeness of every walk over its duration, lifetime of anon_vmas and
 * VMAs, data races on lock-protected trees, deadlock, lock order, sleeping in
 * RCU); {@link rmaplab.race.Explorer} runs the schedules (every schedule
 * within a bound on switches, or PCT) and shrinks the first failing one to
 * the fewest switches; {@link rmaplab.race.RaceFile} reads a race workload
 * and the {@code #race} lines of a counterexample.
 */
package rmaplab.race;
