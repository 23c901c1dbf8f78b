package dev.archon.sync.demo;

/** One table's COPY: its name, the columns written (in order) and the generator of its rows. */
record TableLoad(String table, String columns, RowReader.RowSource rows) {
    String copySql() {
        return "COPY public." + table + " (" + columns + ") FROM STDIN";
    }
}
