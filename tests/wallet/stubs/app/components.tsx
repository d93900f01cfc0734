// app/components (index): the UI components the copied screens take from
// it, as host elements carrying their props (the driver reads a modal's
// title and presses its confirm button through them).
export const ConfirmModal = 'ConfirmModal'
export const NavHeader = 'NavHeader'
