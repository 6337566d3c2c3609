package rmaplab.run;

/** How much the oracle checks. */
public enum CheckMode {
    /** Only the walks the workload asks for are compared with the page tables (always on). */
    WALKS,
    /** Also walk every live folio at the end of the workload. */
    END,
    /** Walk every live folio after every op (tests; slow on large workloads). */
    EVERY_OP
}
