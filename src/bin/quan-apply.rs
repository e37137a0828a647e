fn main() {
    quan_widget::apply::start();
}
