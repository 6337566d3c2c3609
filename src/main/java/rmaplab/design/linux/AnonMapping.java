package rmaplab.design.linux;

/**
 * What folio->mapping of an anonymous folio points at: an {@link AnonVma} in
 * Linux (PAGE_MAPPING_ANON set in the pointer's low bits). A design built on
 * the linux model that keys some folios otherwise (a lazy tag naming a VMA,
 * an address space) adds its own kind, as a proposal adds a tag bit.
 */
public interface AnonMapping {}
