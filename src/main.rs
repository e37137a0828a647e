fn main() {
    quan_widget::start();
}
