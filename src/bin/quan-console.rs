fn main() {
    quan_widget::console::start();
}
