import { redirect } from 'next/navigation';

/** /pipelines has no page of its own: the list of pipelines is the home page. */
export default function PipelinesPage(): never {
  redirect('/');
}
