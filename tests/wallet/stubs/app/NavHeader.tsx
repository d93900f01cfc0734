// app/components/NavHeader/NavHeader: the screen title bar.
export default 'NavHeader'
