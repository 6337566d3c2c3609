/**
 * Step hooks: the points where the simulated kernel and the designs take or
 * drop a lock, may sleep, or write lock-protected state. Sequential runs pay
 * one static read per hook; rmaplab.race installs a scheduler that turns each
 * hook into a point where another task may run. Imports nothing of rmaplab,
 * so that sim and every design may call it.
 */
package rmaplab.steps;
